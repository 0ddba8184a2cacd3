import { decideRefreshEvent, eventKindForStatus, RefreshEventInput } from '../../../lambdas/watcher/refresh-events';
import { planRollback, rollbackBatchSize, RollbackInput } from '../../../lambdas/watcher/rollback-plan';
import { EMPTY_STATE, GroupState } from '../../../lambdas/watcher/state';
import { AMI_CUR, AMI_NEW, AMI_OLD } from './helpers/watcher-kit';

// GIVEN the watcher promoted AMI_NEW over AMI_CUR and started refresh r-1.
const OURS: GroupState = {
  ...EMPTY_STATE,
  history: [AMI_CUR, AMI_NEW],
  refresh: { id: 'r-1', amiId: AMI_NEW, previousAmiId: AMI_CUR, startedAt: '2025-03-05T10:00:00Z' },
};
function refreshInput(overrides: Partial<RefreshEventInput> = {}): RefreshEventInput {
  return {
    kind: 'Failed',
    refreshId: 'r-1',
    mode: 'auto',
    state: OURS,
    approvedAmiId: AMI_NEW,
    previousAmiId: AMI_CUR,
    ...overrides,
  };
}

describe('decideRefreshEvent', () => {
  it('rolls back a failed refresh the watcher started while the approved parameter holds the failed AMI', () => {
    // WHEN refresh r-1 fails
    const decision = decideRefreshEvent(refreshInput());
    // THEN restore AMI_CUR and deny AMI_NEW, with a critical notification
    expect(decision).toMatchObject({
      action: 'ROLLBACK',
      failedAmiId: AMI_NEW,
      restoreAmiId: AMI_CUR,
      notify: { kind: 'refresh.rolledBack', severity: 'critical' },
    });
  });

  it('rolls back a cancelled refresh too', () => {
    expect(decideRefreshEvent(refreshInput({ kind: 'Cancelled' }))).toMatchObject({
      action: 'ROLLBACK',
      reason: expect.stringMatching(/was cancelled/),
    });
  });

  it('treats a duplicate Failed event as already handled once the approved parameter holds the previous AMI', () => {
    // GIVEN the first event already restored AMI_CUR
    const decision = decideRefreshEvent(refreshInput({ approvedAmiId: AMI_CUR }));
    // THEN nothing is rolled back twice
    expect(decision).toEqual({ action: 'ALREADY_HANDLED', reason: expect.stringMatching(/already rolled back/) });
  });

  it('recognises its own refresh by the pending promotion when the refresh id was never recorded', () => {
    // GIVEN the watcher crashed between StartInstanceRefresh and saving the id
    const state: GroupState = {
      ...EMPTY_STATE,
      pending: { amiId: AMI_NEW, previousAmiId: AMI_CUR, at: '2025-03-05T10:00:00Z', writes: 1 },
    };
    // THEN the approved parameter holding the pending AMI identifies the refresh as ours
    expect(decideRefreshEvent(refreshInput({ state, refreshId: 'r-unknown' }))).toMatchObject({
      action: 'ROLLBACK',
      failedAmiId: AMI_NEW,
      restoreAmiId: AMI_CUR,
    });
  });

  it('only notifies when someone else started the refresh (auto mode)', () => {
    const decision = decideRefreshEvent(refreshInput({ refreshId: 'r-terraform' }));
    expect(decision).toMatchObject({
      action: 'NOTIFY',
      notify: { kind: 'refresh.failed', severity: 'warning' },
      reason: expect.stringMatching(/not a refresh the watcher started/),
    });
  });

  it('never rolls back in gitops mode: Auto Scaling auto rollback owns it', () => {
    const decision = decideRefreshEvent(refreshInput({ mode: 'gitops', state: EMPTY_STATE, approvedAmiId: undefined }));
    expect(decision).toMatchObject({
      action: 'NOTIFY',
      reason: expect.stringMatching(/gitops/),
      notify: { kind: 'refresh.failed' },
    });
  });

  it('cannot roll back without a previous AMI different from the failed one', () => {
    const state: GroupState = { ...OURS, refresh: { ...OURS.refresh!, previousAmiId: AMI_NEW } };
    const decision = decideRefreshEvent(refreshInput({ state, previousAmiId: AMI_NEW }));
    expect(decision).toMatchObject({
      action: 'CANNOT_ROLLBACK',
      failedAmiId: AMI_NEW,
      notify: { severity: 'critical' },
    });
  });

  it.each([
    ['Started', 'refresh.started', undefined],
    ['CheckpointReached', 'refresh.checkpoint', undefined],
    ['Succeeded', 'refresh.succeeded', 'Successful'],
    ['RollbackStarted', 'refresh.failed', undefined],
    ['RollbackSucceeded', 'refresh.rolledBack', 'RollbackSuccessful'],
    ['RollbackFailed', 'refresh.failed', 'RollbackFailed'],
  ] as const)('%s → notify %s', (kind, notificationKind, outcome) => {
    const decision = decideRefreshEvent(refreshInput({ kind, checkpoint: { percentage: '50', delaySeconds: '300' } }));
    expect(decision).toMatchObject({ action: 'NOTIFY', notify: { kind: notificationKind } });
    if (outcome) expect(decision).toMatchObject({ outcome });
  });

  it('maps ended DescribeInstanceRefreshes statuses to events (the sweep catches lost events)', () => {
    expect(
      ['Successful', 'Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed', 'InProgress', 'Baking'].map(
        eventKindForStatus,
      ),
    ).toEqual(['Succeeded', 'Failed', 'Cancelled', 'RollbackSucceeded', 'RollbackFailed', undefined, undefined]);
  });
});

describe('planRollback', () => {
  const instances = (...specs: Array<[string, string, string | undefined]>) =>
    specs.map(([instanceId, lifecycleState, imageId]) => ({ instanceId, lifecycleState, imageId }));
  function plan(overrides: Partial<RollbackInput> = {}) {
    return planRollback({
      failedAmiId: AMI_NEW,
      restoredAmiId: AMI_CUR,
      approvedAmiId: AMI_CUR,
      paused: false,
      desiredCapacity: 4,
      minHealthyPercentage: 50,
      instances: instances(
        ['i-1', 'InService', AMI_NEW],
        ['i-2', 'InService', AMI_NEW],
        ['i-3', 'InService', AMI_NEW],
        ['i-4', 'InService', AMI_CUR],
      ),
      ...overrides,
    });
  }

  it('terminates one batch bounded by MinHealthyPercentage', () => {
    // GIVEN 4 desired, min healthy 50 % → 2 may be out of service
    expect(plan()).toEqual({
      action: 'TERMINATE',
      instanceIds: ['i-1', 'i-2'],
      remaining: 1,
      reason: expect.stringMatching(/batch size 2/),
    });
  });

  it('terminates one at a time when MinHealthyPercentage is 100', () => {
    expect(plan({ minHealthyPercentage: 100 })).toMatchObject({ action: 'TERMINATE', instanceIds: ['i-1'] });
    expect(rollbackBatchSize(10, 90)).toBe(1);
    expect(rollbackBatchSize(10, 70)).toBe(3);
  });

  it('waits while the previous batch is still draining or its replacements are launching', () => {
    const step = plan({
      instances: instances(
        ['i-1', 'Terminating:Wait', AMI_NEW],
        ['i-5', 'Pending:Wait', AMI_CUR],
        ['i-2', 'InService', AMI_NEW],
      ),
    });
    expect(step).toMatchObject({
      action: 'WAIT',
      remaining: 1,
      reason: expect.stringMatching(/i-1:Terminating:Wait, i-5:Pending:Wait/),
    });
  });

  it('does not terminate while the pause switch is on', () => {
    expect(plan({ paused: true })).toMatchObject({ action: 'WAIT', reason: expect.stringMatching(/pause/) });
  });

  it('restores the parameter first when it still holds the failed AMI', () => {
    expect(plan({ approvedAmiId: AMI_NEW })).toMatchObject({ action: 'RESTORE_PARAMETER' });
  });

  it('stops when an operator set a third AMI', () => {
    expect(plan({ approvedAmiId: AMI_OLD })).toMatchObject({
      action: 'ABORT',
      reason: expect.stringMatching(/operator took over/),
    });
  });

  it('is done when no instance runs the failed AMI any more', () => {
    expect(plan({ instances: instances(['i-4', 'InService', AMI_CUR], ['i-6', 'InService', AMI_CUR]) })).toMatchObject({
      action: 'DONE',
    });
  });
});
