/**
 * The watcher's own rollout refresh, checked on the schedule and on "EC2 Instance Launch Unsuccessful" events: when it
 * has ended but its event was lost, handle the end now (refresh-runner.ts); while it runs, count the launches the
 * launch gate abandoned and watch its deadline (running-refresh-decision.ts), and cancel it when either says so. The
 * cancel is recorded in the state before CancelInstanceRefresh, so the Cancelled event is known to be the watcher's.
 */
import { refreshDeadlineSeconds } from '../../lib/refresh/refresh-preferences';
import type { WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import { cancelInstanceRefresh, describeFleet, describeRefresh, describeRefreshEvidence } from './adapters/autoscaling';
import { writeGroupState } from './adapters/ssm';
import { notification } from './notifications';
import { eventKindForStatus } from './refresh-outcome-decision';
import { handleRefreshOutcome, type StepResult } from './refresh-runner';
import { decideCancelInProgress, decideRunningRefresh, refreshStart } from './running-refresh-decision';
import type { GroupState } from './state';
import type { PauseState } from './types';

/** The deadline of this refresh: configured, or derived from the group's size and settings. */
async function deadlineOf(deps: WatcherDeps, group: WatcherNodeGroup): Promise<number> {
  const configured = deps.config.policy.refreshDeadlineSeconds;
  if (configured !== undefined) return configured;
  const fleet = await describeFleet(deps.autoScaling, deps.ec2, group.asgName);
  return refreshDeadlineSeconds({
    desiredCapacity: fleet?.desiredCapacity ?? 1,
    settings: group.refreshPreferences,
    launchHookSeconds: group.hookTimeouts.launchSeconds,
    terminateHookSeconds: group.hookTimeouts.terminateSeconds,
  });
}

/** undefined: the watcher has no refresh of its own that has not ended (nothing was done). */
export async function checkOwnRefresh(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  pause: PauseState,
): Promise<StepResult | undefined> {
  const own = state.refresh;
  if (own === undefined || own.outcome !== undefined) return undefined;
  const view = await describeRefresh(deps.autoScaling, group.asgName, own.id);
  if (view === undefined) {
    // Auto Scaling keeps refresh history for a limited time; without it the outcome can no longer be known.
    const next = { ...state, refresh: { ...own, outcome: 'Unknown' } };
    return {
      state: next,
      decision: 'NONE',
      reason: `refresh ${own.id} is no longer known to Auto Scaling`,
      actions: [],
    };
  }
  const kind = eventKindForStatus(view.status);
  if (kind !== undefined) {
    const step = await handleRefreshOutcome(deps, group, state, { kind, refreshId: own.id, view }, pause);
    const ended =
      step.state.refresh?.id === own.id && step.state.refresh.outcome === undefined
        ? { ...step.state, refresh: { ...step.state.refresh, outcome: view.status } }
        : step.state;
    return {
      ...step,
      state: ended,
      reason: `last refresh ${own.id} ${view.status}: ${step.decision} (${step.reason})`,
    };
  }
  const decision =
    decideCancelInProgress({ refresh: own, view }) ??
    decideRunningRefresh({
      refresh: own,
      view,
      evidence: await describeRefreshEvidence(deps.autoScaling, group.asgName, refreshStart({ refresh: own, view })),
      now: deps.now(),
      deadlineSeconds: await deadlineOf(deps, group),
      abandonedLaunchesToRollBack: deps.config.policy.abandonedLaunchesToRollBack,
    });
  if (decision.action === 'WAIT') return { state, decision: 'WAIT', reason: decision.why, actions: [] };
  if (decision.action === 'RESEND_CANCEL') {
    // Already recorded and notified: only the call is repeated.
    const resent = await cancelInstanceRefresh(deps.autoScaling, group.asgName);
    return {
      state,
      decision: `CANCEL_${decision.reason.toUpperCase()}`,
      reason: `${decision.why}; CancelInstanceRefresh sent again: ${resent}`,
      actions: [`CancelInstanceRefresh:${own.id}`],
    };
  }
  const next: GroupState = {
    ...state,
    refresh: { ...own, cancel: { at: deps.now().toISOString(), reason: decision.reason } },
  };
  await writeGroupState(deps.ssm, group.stateParameterName, next);
  const result = await cancelInstanceRefresh(deps.autoScaling, group.asgName);
  await deps.notifier.notify(
    notification(
      deps.config,
      group,
      {
        kind: 'refresh.failed',
        severity: 'warning',
        title: `Cancelling instance refresh ${own.id} of ${own.amiId}: ${decision.why}`,
      },
      { refreshId: own.id, ami: own.amiId, reason: decision.why },
      [own.id, 'cancel'],
    ),
  );
  return {
    state: next,
    persisted: next,
    decision: `CANCEL_${decision.reason.toUpperCase()}`,
    reason: `${decision.why}; CancelInstanceRefresh: ${result}`,
    actions: [`PutParameter:${group.stateParameterName}`, `CancelInstanceRefresh:${own.id}`],
  };
}
