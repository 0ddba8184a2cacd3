import { decideRunningRefresh, RunningRefreshInput } from '../../../lambdas/watcher/running-refresh-decision';
import { AMI_CUR, AMI_NEW, T0, hoursAfter } from './helpers/watcher-kit';

// GIVEN the watcher's refresh r-1 of AMI_NEW started one hour ago, deadline 2 h, roll back at 3 abandoned launches.
function runningInput(overrides: Partial<RunningRefreshInput> = {}): RunningRefreshInput {
  return {
    refresh: { id: 'r-1', amiId: AMI_NEW, previousAmiId: AMI_CUR, startedAt: hoursAfter(-1).toISOString() },
    view: { id: 'r-1', status: 'InProgress', startTime: hoursAfter(-1) },
    evidence: { abandonedLaunches: 0, failedLaunches: 0, healthReplacements: 0 },
    now: T0,
    deadlineSeconds: 7200,
    abandonedLaunchesToRollBack: 3,
    ...overrides,
  };
}

describe('decideRunningRefresh', () => {
  it.each([
    ['on time, no evidence', {}, 'WAIT', undefined],
    [
      'two abandoned launches',
      { evidence: { abandonedLaunches: 2, failedLaunches: 0, healthReplacements: 0 } },
      'WAIT',
      undefined,
    ],
    [
      'three abandoned launches',
      { evidence: { abandonedLaunches: 3, failedLaunches: 0, healthReplacements: 0 } },
      'CANCEL',
      'evidence',
    ],
    [
      'capacity errors only',
      { evidence: { abandonedLaunches: 0, failedLaunches: 30, healthReplacements: 0 } },
      'WAIT',
      undefined,
    ],
    ['past the deadline', { deadlineSeconds: 3000 }, 'CANCEL', 'deadline'],
    [
      'evidence rule switched off',
      { abandonedLaunchesToRollBack: 0, evidence: { abandonedLaunches: 9, failedLaunches: 0, healthReplacements: 0 } },
      'WAIT',
      undefined,
    ],
    [
      'already being cancelled',
      { view: { id: 'r-1', status: 'Cancelling', startTime: hoursAfter(-9) }, deadlineSeconds: 60 },
      'WAIT',
      undefined,
    ],
  ] as const)('%s → %s', (_case, overrides, action, reason) => {
    const decision = decideRunningRefresh(runningInput(overrides as Partial<RunningRefreshInput>));
    expect(decision.action).toBe(action);
    if (reason) expect(decision).toMatchObject({ reason });
  });

  it('waits for a recorded cancel that Auto Scaling is carrying out', () => {
    const refresh = {
      ...runningInput().refresh,
      cancel: { at: hoursAfter(-0.5).toISOString(), reason: 'deadline' as const },
    };
    const view = { id: 'r-1', status: 'Cancelling', startTime: hoursAfter(-1) };
    expect(decideRunningRefresh(runningInput({ refresh, view, deadlineSeconds: 60 }))).toMatchObject({
      action: 'WAIT',
    });
  });

  it('sends a recorded cancel again while the refresh still runs (the first call was throttled)', () => {
    // GIVEN a cancel recorded half an hour ago (evidence) and a refresh Auto Scaling still reports InProgress
    const refresh = {
      ...runningInput().refresh,
      cancel: { at: hoursAfter(-0.5).toISOString(), reason: 'evidence' as const },
    };
    // WHEN decided / THEN the cancel is repeated with its original reason, not recorded anew
    expect(decideRunningRefresh(runningInput({ refresh }))).toMatchObject({
      action: 'RESEND_CANCEL',
      reason: 'evidence',
    });
  });

  it('counts from the start Auto Scaling reports, not the watcher’s clock', () => {
    // GIVEN the state says 1 h ago but Auto Scaling started it 3 h ago
    const view = { id: 'r-1', status: 'InProgress', startTime: hoursAfter(-3) };
    expect(decideRunningRefresh(runningInput({ view }))).toMatchObject({ action: 'CANCEL', reason: 'deadline' });
  });
});
