/**
 * Performs rollbacks (adapters + the pure decisions of refresh-outcome-decision.ts and rollback-decision.ts).
 *
 * Step 1 (on the watcher's failed or self-cancelled refresh with evidence against its AMI, once): deny the failed AMI,
 * record the rollback in the group state, restore the previous AMI into the approved parameter. The write order makes
 * a retry after a crash safe: as long as the approved parameter still holds the failed AMI, a duplicate event redoes
 * all three (each idempotent); once it holds the previous AMI, duplicates are ALREADY_HANDLED.
 * Step 2 (this run, the rollback refresh's events, launch failures, sweeps, SSM's Parameter Store Change): once no
 * other refresh runs and the group is whole, start one refresh of the restored AMI that launches before it terminates
 * (see rollback-decision.ts for why a refresh, and not terminations or a raised desired capacity).
 */
import { rollbackPreferences, type WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import {
  describeFleet,
  describeRefreshEvidence,
  findActiveRefresh,
  startInstanceRefresh,
} from './adapters/autoscaling';
import { addToDenyList, putAmiParameter, readAmiParameter, writeGroupState } from './adapters/ssm';
import { checkHeadroom } from './headroom-runner';
import { notification } from './notifications';
import type { RefreshEventDecision } from './refresh-outcome-decision';
import {
  planRollback,
  RECENT_LAUNCH_FAILURE_SECONDS,
  type RollbackInput,
  type RollbackStep,
} from './rollback-decision';
import { withNotified, type GroupState } from './state';
import type { PauseState } from './types';

export interface RollbackProgress {
  readonly state: GroupState;
  readonly step: RollbackStep | { readonly action: 'NONE'; readonly reason: string };
  readonly actions: string[];
  /** The state as this step already wrote it. */
  readonly persisted?: GroupState;
}

/** Step 1. Returns the new state (rollback recorded) and the writes performed. */
export async function startRollback(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  decision: Extract<RefreshEventDecision, { action: 'ROLLBACK' }>,
  outcome: string,
): Promise<{ state: GroupState; actions: string[] }> {
  const approvedName = group.approvedParameterName as string;
  const actions: string[] = [];
  const denied = await addToDenyList(deps.ssm, deps.config.denyListParameterName, decision.failedAmiId);
  if (denied === 'added') actions.push(`PutParameter:${deps.config.denyListParameterName}+=${decision.failedAmiId}`);
  const at = deps.now().toISOString();
  const refresh =
    state.refresh?.id === decision.refreshId
      ? state.refresh
      : {
          id: decision.refreshId,
          amiId: decision.failedAmiId,
          previousAmiId: decision.restoreAmiId,
          startedAt: state.pending?.at ?? at,
        };
  const next: GroupState = {
    ...state,
    pending: undefined,
    approved: decision.restoreAmiId,
    refresh: { ...refresh, outcome },
    rollback: {
      failedAmiId: decision.failedAmiId,
      restoredAmiId: decision.restoreAmiId,
      refreshId: decision.refreshId,
      startedAt: at,
      replaceAttempts: 0,
    },
  };
  // The record first: if the restore below fails, the sweep finds the rollback and retries the restore.
  await writeState(deps, group, next, actions);
  await putAmiParameter(deps.ssm, approvedName, decision.restoreAmiId);
  actions.push(`PutParameter:${approvedName}=${decision.restoreAmiId}`);
  await deps.notifier.notify(
    notification(
      deps.config,
      group,
      decision.notify,
      {
        failedAmi: decision.failedAmiId,
        restoredAmi: decision.restoreAmiId,
        refreshId: decision.refreshId,
        reason: decision.reason,
      },
      [decision.refreshId],
    ),
  );
  return { state: next, actions };
}

async function writeState(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  actions: string[],
): Promise<void> {
  await writeGroupState(deps.ssm, group.stateParameterName, state);
  actions.push(`PutParameter:${group.stateParameterName}`);
}

/**
 * Step 2: plan from the observed group and the approved parameter, then act. `justRestored`: the restore was written
 * moments ago, so a read-back that still shows the failed AMI means "SSM is still validating", not "lost".
 */
export async function continueRollback(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  pause: PauseState,
  justRestored = false,
): Promise<RollbackProgress> {
  const rollback = state.rollback;
  if (rollback === undefined)
    return { state, step: { action: 'NONE', reason: 'no rollback in progress' }, actions: [] };
  const approvedName = group.approvedParameterName as string;
  const approvedAmiId = await readAmiParameter(deps.ssm, approvedName);
  const fleet = await describeFleet(deps.autoScaling, deps.ec2, group.asgName);
  const input: RollbackInput = {
    failedAmiId: rollback.failedAmiId,
    restoredAmiId: rollback.restoredAmiId,
    approvedAmiId,
    paused: pause.paused,
    desiredCapacity: fleet?.desiredCapacity ?? 0,
    instances: fleet?.instances ?? [],
    activeRefresh: await findActiveRefresh(deps.autoScaling, group.asgName),
    replaceRefreshId: rollback.replaceRefreshId,
    now: deps.now(),
  };
  let step = planRollback(input);
  if (step.action === 'START_REFRESH') {
    // Only now read the recent launches (one DescribeScalingActivities page in the usual case).
    const since = new Date(input.now.getTime() - RECENT_LAUNCH_FAILURE_SECONDS * 1000);
    const recent = await describeRefreshEvidence(deps.autoScaling, group.asgName, since);
    step = planRollback({ ...input, lastFailedLaunchAt: recent.lastFailedLaunchAt });
  }
  const actions: string[] = [];
  const details = { failedAmi: rollback.failedAmiId, restoredAmi: rollback.restoredAmiId };
  switch (step.action) {
    case 'RESTORE_PARAMETER':
      if (justRestored)
        return {
          state,
          step: { action: 'WAIT', remaining: 0, reason: 'waiting for SSM to validate the restored AMI' },
          actions,
        };
      await putAmiParameter(deps.ssm, approvedName, rollback.restoredAmiId);
      actions.push(`PutParameter:${approvedName}=${rollback.restoredAmiId}`);
      return { state, step, actions };
    case 'START_REFRESH':
      return startReplaceRefresh(deps, group, state, step);
    case 'WAIT':
      return { state, step, actions };
    case 'ABORT':
    case 'DONE': {
      const done = step.action === 'DONE';
      const spec = done
        ? {
            kind: 'refresh.rolledBack' as const,
            severity: 'warning' as const,
            title: `Rollback complete: no instance runs ${rollback.failedAmiId} any more`,
          }
        : {
            kind: 'refresh.rolledBack' as const,
            severity: 'warning' as const,
            title: `Rollback of ${rollback.failedAmiId} stopped: the approved AMI was changed by someone else`,
          };
      await deps.notifier.notify(
        notification(deps.config, group, spec, { ...details, reason: step.reason }, [
          rollback.failedAmiId,
          done ? 'complete' : 'aborted',
        ]),
      );
      return { state: { ...state, rollback: undefined }, step, actions };
    }
  }
}

async function startReplaceRefresh(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  step: Extract<RollbackStep, { action: 'START_REFRESH' }>,
): Promise<RollbackProgress> {
  const rollback = state.rollback as NonNullable<GroupState['rollback']>;
  const what = `Rollback of ${rollback.failedAmiId}`;
  const headroom = await checkHeadroom(deps, group, state, what, 'its refresh not started');
  if (!headroom.ok) {
    return {
      state: headroom.state,
      step: { action: 'WAIT', remaining: step.remaining, reason: headroom.reason },
      actions: [],
    };
  }
  const result = await startInstanceRefresh(deps.autoScaling, group.asgName, rollbackPreferences(group));
  if (!result.started)
    return { state, step: { action: 'WAIT', remaining: step.remaining, reason: result.reason }, actions: [] };
  const attempts = rollback.replaceAttempts + 1;
  // Its Started event then does not page a second time (same category and fingerprint as refresh-runner.ts).
  const next: GroupState = withNotified(
    { ...state, rollback: { ...rollback, replaceRefreshId: result.refreshId, replaceAttempts: attempts } },
    'refresh.Started',
    result.refreshId,
  );
  // Recorded at once: the refresh's events must find it, whatever happens later in this run.
  await writeGroupState(deps.ssm, group.stateParameterName, next);
  await deps.notifier.notify(
    notification(
      deps.config,
      group,
      {
        kind: 'refresh.rolledBack',
        severity: 'warning',
        title:
          `Rollback: refresh ${result.refreshId} replaces ${step.remaining} instance(s) on ${rollback.failedAmiId} ` +
          `with ${rollback.restoredAmiId}, launching first (attempt ${attempts})`,
      },
      { refreshId: result.refreshId, failedAmi: rollback.failedAmiId, restoredAmi: rollback.restoredAmiId },
      [result.refreshId],
    ),
  );
  return {
    state: next,
    persisted: next,
    step,
    actions: [`StartInstanceRefresh:${result.refreshId}`, `PutParameter:${group.stateParameterName}`],
  };
}
