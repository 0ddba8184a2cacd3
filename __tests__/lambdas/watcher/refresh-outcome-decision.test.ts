import {
  decideRefreshEvent,
  eventKindForStatus,
  MAX_RESUMES,
  needsEvidence,
  RefreshEventInput,
} from '../../../lambdas/watcher/refresh-outcome-decision';
import { EMPTY_STATE, GroupState } from '../../../lambdas/watcher/state';
import type { RefreshEvidence } from '../../../lambdas/watcher/types';
import { AMI_CUR, AMI_NEW } from './helpers/watcher-kit';

// GIVEN the watcher promoted AMI_NEW over AMI_CUR and started refresh r-1.
const OURS: GroupState = {
  ...EMPTY_STATE,
  history: [AMI_CUR, AMI_NEW],
  approved: AMI_NEW,
  refresh: { id: 'r-1', amiId: AMI_NEW, previousAmiId: AMI_CUR, startedAt: '2025-03-05T10:00:00Z' },
};
const ABANDONED: RefreshEvidence = { abandonedLaunches: 2, failedLaunches: 0, healthReplacements: 0 };
const CAPACITY_ONLY: RefreshEvidence = { abandonedLaunches: 0, failedLaunches: 4, healthReplacements: 0 };

function refreshInput(overrides: Partial<RefreshEventInput> = {}): RefreshEventInput {
  return {
    kind: 'Failed',
    refreshId: 'r-1',
    mode: 'auto',
    state: OURS,
    approvedAmiId: AMI_NEW,
    previousAmiId: AMI_CUR,
    evidence: ABANDONED,
    ...overrides,
  };
}

const cancelledByUs = (reason: 'evidence' | 'deadline'): GroupState => ({
  ...OURS,
  refresh: { ...OURS.refresh!, cancel: { at: '2025-03-05T11:00:00Z', reason } },
});

describe('decideRefreshEvent: the end of the watcher’s own rollout', () => {
  it.each([
    ['Failed, launches abandoned by the launch gate', { evidence: ABANDONED }, 'ROLLBACK'],
    [
      'Failed, a health-check replacement',
      { evidence: { abandonedLaunches: 0, failedLaunches: 0, healthReplacements: 1 } },
      'ROLLBACK',
    ],
    ['Failed because an alarm fired', { evidence: CAPACITY_ONLY, statusReason: 'Alarm Prod-5xx in ALARM' }, 'ROLLBACK'],
    ['Failed, only EC2 capacity errors', { evidence: CAPACITY_ONLY }, 'RESUME'],
    ['Cancelled by an operator or Terraform, with abandons', { kind: 'Cancelled' as const }, 'RESUME'],
    [
      'Cancelled by the watcher on evidence',
      { kind: 'Cancelled' as const, state: cancelledByUs('evidence') },
      'ROLLBACK',
    ],
    [
      'Cancelled by the watcher at its deadline, no evidence',
      { kind: 'Cancelled' as const, state: cancelledByUs('deadline'), evidence: CAPACITY_ONLY },
      'HOLD',
    ],
  ] as const)('%s → %s', (_case, overrides, action) => {
    expect(decideRefreshEvent(refreshInput(overrides))).toMatchObject({ action });
  });

  it('rolls back to the recorded previous AMI, denying the failed one, with a critical notification', () => {
    expect(decideRefreshEvent(refreshInput())).toMatchObject({
      action: 'ROLLBACK',
      failedAmiId: AMI_NEW,
      restoreAmiId: AMI_CUR,
      notify: { kind: 'refresh.rolledBack', severity: 'critical' },
    });
  });

  it('resumes a cancelled promotion without touching the AMI, counting attempts, then holds it', () => {
    // WHEN an operator cancels the watcher's refresh
    const first = decideRefreshEvent(refreshInput({ kind: 'Cancelled' }));
    expect(first).toMatchObject({ action: 'RESUME', amiId: AMI_NEW, previousAmiId: AMI_CUR, resumed: 1 });
    // WHEN the refresh of the last allowed resume is cancelled too
    const state: GroupState = { ...OURS, refresh: { ...OURS.refresh!, resumed: MAX_RESUMES } };
    expect(decideRefreshEvent(refreshInput({ kind: 'Cancelled', state }))).toMatchObject({
      action: 'HOLD',
      notify: { severity: 'critical' },
    });
  });

  it('treats a duplicate Failed event as already handled once the approved parameter holds the previous AMI', () => {
    expect(decideRefreshEvent(refreshInput({ approvedAmiId: AMI_CUR }))).toEqual({
      action: 'ALREADY_HANDLED',
      reason: expect.stringMatching(/already rolled back/),
    });
  });

  it('recognises its own refresh by the pending promotion when the refresh id was never recorded', () => {
    const state: GroupState = {
      ...EMPTY_STATE,
      pending: { amiId: AMI_NEW, previousAmiId: AMI_CUR, at: '2025-03-05T10:00:00Z', writes: 1 },
    };
    expect(decideRefreshEvent(refreshInput({ state, refreshId: 'r-unknown' }))).toMatchObject({
      action: 'ROLLBACK',
      failedAmiId: AMI_NEW,
    });
  });

  it('never claims a refresh that runs while a resumed promotion waits (it is Terraform’s or an operator’s)', () => {
    const state: GroupState = {
      ...OURS,
      pending: { amiId: AMI_NEW, previousAmiId: AMI_CUR, at: '2025-03-05T10:00:00Z', writes: 0, resumed: 1 },
    };
    expect(decideRefreshEvent(refreshInput({ state, refreshId: 'r-terraform' }))).toMatchObject({ action: 'NOTIFY' });
  });

  it('cannot roll back without a previous AMI different from the failed one', () => {
    const state: GroupState = { ...OURS, refresh: { ...OURS.refresh!, previousAmiId: AMI_NEW } };
    expect(decideRefreshEvent(refreshInput({ state, previousAmiId: AMI_NEW }))).toMatchObject({
      action: 'CANNOT_ROLLBACK',
      failedAmiId: AMI_NEW,
      notify: { severity: 'critical' },
    });
  });

  it('asks for the scaling activities only for the end of its own rollout', () => {
    expect(needsEvidence(refreshInput())).toBe(true);
    expect(needsEvidence(refreshInput({ kind: 'Succeeded' }))).toBe(false);
    expect(needsEvidence(refreshInput({ refreshId: 'r-terraform' }))).toBe(false);
    expect(needsEvidence(refreshInput({ mode: 'gitops' }))).toBe(false);
  });
});

describe('decideRefreshEvent: other refreshes', () => {
  it('only notifies when someone else started the refresh (auto mode)', () => {
    expect(decideRefreshEvent(refreshInput({ refreshId: 'r-terraform' }))).toMatchObject({
      action: 'NOTIFY',
      notify: { kind: 'refresh.failed', severity: 'warning' },
      reason: expect.stringMatching(/not a refresh the watcher started/),
    });
  });

  it('never rolls back in gitops mode: Auto Scaling auto rollback owns it', () => {
    const decision = decideRefreshEvent(refreshInput({ mode: 'gitops', state: EMPTY_STATE, approvedAmiId: undefined }));
    expect(decision).toMatchObject({ action: 'NOTIFY', reason: expect.stringMatching(/gitops/) });
  });

  it.each(['Succeeded', 'Failed', 'Cancelled'] as const)(
    'hands the end (%s) of the rollback’s own refresh to the rollback',
    (kind) => {
      const state: GroupState = {
        ...EMPTY_STATE,
        rollback: {
          failedAmiId: AMI_NEW,
          restoredAmiId: AMI_CUR,
          startedAt: '2025-03-05T11:00:00Z',
          replaceRefreshId: 'r-2',
          replaceAttempts: 1,
        },
      };
      expect(decideRefreshEvent(refreshInput({ kind, state, refreshId: 'r-2', approvedAmiId: AMI_CUR }))).toMatchObject(
        {
          action: 'ROLLBACK_PROGRESS',
        },
      );
    },
  );

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
