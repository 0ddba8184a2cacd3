/**
 * Performs rollbacks (adapters + the pure decisions of refresh-events.ts and rollback-plan.ts).
 *
 * Step 1 (on the Failed/Cancelled refresh, once): deny the failed AMI, record the rollback in the group state, restore
 * the previous AMI into the approved parameter. The write order makes a retry after a crash safe: as long as the
 * approved parameter still holds the failed AMI, a duplicate event redoes all three (each idempotent); once it holds
 * the previous AMI, duplicates are ALREADY_HANDLED.
 * Step 2 (this run, later sweeps and Auto Scaling launch/terminate events): replace the instances on the failed AMI one
 * batch at a time (see rollback-plan.ts for why terminations and not a second refresh).
 */
import type { WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import { describeFleet, terminateInstance } from './adapters/autoscaling';
import { addToDenyList, putAmiParameter, readAmiParameter, writeGroupState } from './adapters/ssm';
import { notification } from './notifications';
import type { RefreshEventDecision } from './refresh-events';
import { planRollback, type RollbackStep } from './rollback-plan';
import type { GroupState } from './state';
import type { PauseState } from './types';

export interface RollbackProgress {
  readonly state: GroupState;
  readonly step: RollbackStep | { readonly action: 'NONE'; readonly reason: string };
  readonly actions: string[];
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
 * Step 2, one batch: plan from the observed fleet and the approved parameter, then act. `justRestored`: the restore was
 * written moments ago, so a read-back that still shows the failed AMI means "SSM is still validating", not "lost".
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
  const step = planRollback({
    failedAmiId: rollback.failedAmiId,
    restoredAmiId: rollback.restoredAmiId,
    approvedAmiId,
    paused: pause.paused,
    desiredCapacity: fleet?.desiredCapacity ?? 0,
    minHealthyPercentage: group.refreshPreferences.minHealthyPercentage,
    instances: fleet?.instances ?? [],
  });
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
    case 'TERMINATE':
      for (const instanceId of step.instanceIds) {
        const result = await terminateInstance(deps.autoScaling, instanceId);
        actions.push(
          result === 'terminating' ? `TerminateInstanceInAutoScalingGroup:${instanceId}` : `AlreadyGone:${instanceId}`,
        );
      }
      return { state, step, actions };
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
