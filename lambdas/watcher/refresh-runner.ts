/**
 * Instance refresh handling: an Auto Scaling refresh event, or (from the sweep) the status of the last refresh the
 * watcher started. Reads the approved/previous parameters, asks decideRefreshEvent, then notifies or rolls back.
 * Also starts the refresh of a pending promotion (shared by the promotion and the sweep).
 */
import type { WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import { startInstanceRefresh } from './adapters/autoscaling';
import { addToDenyList, readAmiParameter } from './adapters/ssm';
import { Details, notification, settled } from './notifications';
import { decideRefreshEvent, RefreshEventDecision, RefreshEventKind } from './refresh-events';
import { continueRollback, startRollback } from './rollback-runner';
import { GroupState, shouldNotify, withNotified } from './state';
import type { PauseState, RefreshView } from './types';

export interface RefreshOccurrence {
  readonly kind: RefreshEventKind;
  readonly refreshId: string;
  readonly checkpoint?: { readonly percentage?: string; readonly delaySeconds?: string };
}

export interface StepResult {
  readonly state: GroupState;
  readonly decision: string;
  readonly reason: string;
  readonly actions: readonly string[];
  /** The state as this step already wrote it (callers then write only what changed after). */
  readonly persisted?: GroupState;
}

function withOutcome(state: GroupState, refreshId: string, outcome: string | undefined): GroupState {
  if (outcome === undefined || state.refresh?.id !== refreshId) return state;
  return { ...state, refresh: { ...state.refresh, outcome } };
}

export async function handleRefreshOutcome(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  occurrence: RefreshOccurrence,
  pause: PauseState,
): Promise<StepResult> {
  const auto = group.mode === 'auto';
  const approvedAmiId = auto ? await readAmiParameter(deps.ssm, group.approvedParameterName as string) : undefined;
  const previousAmiId = auto ? await readAmiParameter(deps.ssm, group.previousParameterName as string) : undefined;
  const decision: RefreshEventDecision = decideRefreshEvent({
    kind: occurrence.kind,
    refreshId: occurrence.refreshId,
    mode: group.mode,
    state,
    approvedAmiId,
    previousAmiId,
    checkpoint: occurrence.checkpoint,
  });
  const id = occurrence.refreshId;
  const base = { decision: decision.action, reason: decision.reason };
  const details = { refreshId: id, ...(state.refresh?.id === id ? { ami: state.refresh.amiId } : {}) };

  switch (decision.action) {
    case 'ALREADY_HANDLED':
      return { ...base, state, actions: [] };
    case 'NOTIFY': {
      const category = `refresh.${occurrence.kind}`;
      const fingerprint = [id, occurrence.checkpoint?.percentage].filter(Boolean).join(':');
      let next = withOutcome(state, id, decision.outcome);
      if (shouldNotify(state, category, fingerprint)) {
        const extra: Details = occurrence.checkpoint
          ? { checkpointPercentage: occurrence.checkpoint.percentage ?? '?', checkpointDelaySeconds: occurrence.checkpoint.delaySeconds ?? '?' }
          : {};
        const result = await deps.notifier.notify(notification(deps.config, group, decision.notify, { ...details, ...extra }, [id, ...(occurrence.checkpoint?.percentage ? [occurrence.checkpoint.percentage] : [])]));
        if (settled(result)) next = withNotified(next, category, fingerprint);
      }
      return { ...base, state: next, actions: [] };
    }
    case 'CANNOT_ROLLBACK': {
      const actions: string[] = [];
      if ((await addToDenyList(deps.ssm, deps.config.denyListParameterName, decision.failedAmiId)) === 'added') {
        actions.push(`PutParameter:${deps.config.denyListParameterName}+=${decision.failedAmiId}`);
      }
      await deps.notifier.notify(notification(deps.config, group, decision.notify, { ...details, failedAmi: decision.failedAmiId, reason: decision.reason }, [id]));
      return { ...base, state: withOutcome({ ...state, pending: undefined }, id, occurrence.kind), actions };
    }
    case 'ROLLBACK': {
      const started = await startRollback(deps, group, state, decision, occurrence.kind);
      const progress = await continueRollback(deps, group, started.state, pause, true);
      return {
        ...base,
        reason: `${decision.reason}; ${progress.step.reason}`,
        state: progress.state,
        persisted: started.state,
        actions: [...started.actions, ...progress.actions],
      };
    }
  }
}

/**
 * Starts the refresh of a pending promotion once the approved parameter visibly holds the new AMI (SSM validates
 * `aws:ec2:image` values asynchronously: starting earlier could launch replacements from the old AMI).
 */
export async function startPendingRefresh(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  approvedAmiId: string | undefined,
  activeRefresh: RefreshView | undefined,
): Promise<StepResult> {
  const pending = state.pending;
  if (pending === undefined) return { state, decision: 'NONE', reason: 'no pending promotion', actions: [] };
  if (approvedAmiId !== pending.amiId) {
    const ageMs = deps.now().getTime() - Date.parse(pending.at);
    if (ageMs < PENDING_VALIDATION_TIMEOUT_MS) {
      return { state, decision: 'WAIT', reason: `waiting for SSM to validate ${pending.amiId} in the approved parameter`, actions: [] };
    }
    // SSM rejected the value (aws:ec2:image validation failed): give up on this AMI; it is in the history, so never retried.
    const spec = { kind: 'ami.skipped' as const, severity: 'warning' as const, title: `Promotion of ${pending.amiId} abandoned: SSM did not accept it as the approved AMI` };
    await deps.notifier.notify(notification(deps.config, group, spec, { ami: pending.amiId, approvedAmi: approvedAmiId ?? 'none' }, [pending.amiId, 'VALIDATION_FAILED']));
    return { state: { ...state, pending: undefined }, decision: 'ABANDON_PROMOTION', reason: spec.title, actions: [] };
  }
  if (activeRefresh) {
    return { state, decision: 'WAIT', reason: `instance refresh ${activeRefresh.id} is ${activeRefresh.status}: the refresh for ${pending.amiId} starts after it`, actions: [] };
  }
  const result = await startInstanceRefresh(deps.autoScaling, group.asgName, group.refreshPreferences);
  if (!result.started) return { state, decision: 'WAIT', reason: result.reason, actions: [] };
  let next: GroupState = {
    ...state,
    pending: undefined,
    refresh: { id: result.refreshId, amiId: pending.amiId, previousAmiId: pending.previousAmiId, startedAt: deps.now().toISOString() },
  };
  const spec = { kind: 'refresh.started' as const, severity: 'info' as const, title: `Instance refresh started: ${pending.previousAmiId} → ${pending.amiId}` };
  const notified = await deps.notifier.notify(notification(deps.config, group, spec, { refreshId: result.refreshId, ami: pending.amiId, previousAmi: pending.previousAmiId }, [result.refreshId]));
  // Same category/fingerprint as the Started event, so the event does not page a second time.
  if (settled(notified)) next = withNotified(next, 'refresh.Started', result.refreshId);
  return { state: next, decision: 'REFRESH_STARTED', reason: spec.title, actions: [`StartInstanceRefresh:${result.refreshId}`] };
}

/** How long a written approved AMI may stay invisible (SSM's async `aws:ec2:image` validation) before the watcher gives up. */
export const PENDING_VALIDATION_TIMEOUT_MS = 30 * 60 * 1000;
