import { planRollback, RECENT_LAUNCH_FAILURE_SECONDS, RollbackInput } from '../../../lambdas/watcher/rollback-decision';
import { AMI_CUR, AMI_NEW, AMI_OLD, T0 } from './helpers/watcher-kit';

const inService = (id: string, imageId: string) => ({ instanceId: id, lifecycleState: 'InService', imageId });

// GIVEN AMI_NEW was rolled back to AMI_CUR (visible in the approved parameter); 2 of 4 instances still run AMI_NEW.
function rollbackInput(overrides: Partial<RollbackInput> = {}): RollbackInput {
  return {
    failedAmiId: AMI_NEW,
    restoredAmiId: AMI_CUR,
    approvedAmiId: AMI_CUR,
    paused: false,
    desiredCapacity: 4,
    instances: [
      inService('i-1', AMI_NEW),
      inService('i-2', AMI_NEW),
      inService('i-3', AMI_CUR),
      inService('i-4', AMI_CUR),
    ],
    now: T0,
    ...overrides,
  };
}

describe('planRollback: a refresh of the restored AMI, never below desired capacity', () => {
  it('starts one refresh for the instances on the failed AMI when the group is whole', () => {
    expect(planRollback(rollbackInput())).toMatchObject({ action: 'START_REFRESH', remaining: 2 });
  });

  it.each([
    ['the approved parameter still holds the failed AMI', { approvedAmiId: AMI_NEW }, 'RESTORE_PARAMETER'],
    ['an operator wrote a third AMI', { approvedAmiId: AMI_OLD }, 'ABORT'],
    [
      'the rollback’s own refresh is running',
      { activeRefresh: { id: 'r-2', status: 'InProgress' }, replaceRefreshId: 'r-2' },
      'WAIT',
    ],
    ['someone else’s refresh is running', { activeRefresh: { id: 'r-tf', status: 'InProgress' } }, 'WAIT'],
    ['the pause switch is on', { paused: true }, 'WAIT'],
    ['the group is below its desired capacity (a launch failed)', { desiredCapacity: 5 }, 'WAIT'],
    ['a launch failed moments ago', { lastFailedLaunchAt: new Date(T0.getTime() - 60_000) }, 'WAIT'],
    [
      'the last failed launch is older than the recovery window',
      { lastFailedLaunchAt: new Date(T0.getTime() - (RECENT_LAUNCH_FAILURE_SECONDS + 1) * 1000) },
      'START_REFRESH',
    ],
  ] as const)('%s → %s', (_case, overrides, action) => {
    expect(planRollback(rollbackInput(overrides))).toMatchObject({ action });
  });

  it('waits while the only instances on the failed AMI are still with the launch gate', () => {
    const instances = [
      { instanceId: 'i-1', lifecycleState: 'Pending:Wait', imageId: AMI_NEW },
      inService('i-3', AMI_CUR),
    ];
    expect(planRollback(rollbackInput({ instances, desiredCapacity: 1 }))).toMatchObject({
      action: 'WAIT',
      reason: expect.stringMatching(/i-1:Pending:Wait/),
    });
  });

  it('waits until the AMI of every instance is known', () => {
    const instances = [inService('i-3', AMI_CUR), { instanceId: 'i-9', lifecycleState: 'Pending' }];
    expect(planRollback(rollbackInput({ instances }))).toMatchObject({ action: 'WAIT' });
  });

  it('is done when no instance runs the failed AMI, even while a refresh still replaces good instances', () => {
    const instances = [inService('i-3', AMI_CUR), inService('i-4', AMI_CUR)];
    expect(
      planRollback(
        rollbackInput({ instances, desiredCapacity: 2, activeRefresh: { id: 'r-2', status: 'InProgress' } }),
      ),
    ).toMatchObject({ action: 'DONE' });
  });
});
