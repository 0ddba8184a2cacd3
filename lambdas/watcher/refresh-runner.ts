/**
 * Instance refresh handling: an Auto Scaling refresh event, or (from the sweep) the status of the last refresh the
 * watcher started. Reads the approved/previous parameters (and, for the end of its own rollout, the scaling activities
 * since it started), asks decideRefreshEvent, then notifies, rolls back, resumes or holds the promotion.
 */
import type { WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import { cancelInstanceRefresh, describeRefresh, describeRefreshEvidence } from './adapters/autoscaling';
import { checkHeadroom } from './headroom-runner';
import { addToDenyList, readAmiParameter } from './adapters/ssm';
import { Details, notification, settled } from './notifications';
import {
  decideRefreshEvent,
  needsEvidence,
  refreshOwner,
  type RefreshEventDecision,
  type RefreshEventInput,
  type RefreshEventKind,
} from './refresh-outcome-decision';
import { continueRollback, startRollback } from './rollback-runner';
import { GroupState, shouldNotify, withNotified } from './state';
import type { PauseState, RefreshView } from './types';

export interface RefreshOccurrence {
  readonly kind: RefreshEventKind;
  readonly refreshId: string;
  readonly checkpoint?: { readonly percentage?: string; readonly delaySeconds?: string };
  /** The refresh as DescribeInstanceRefreshes showed it (the sweep already read it). */
  readonly view?: RefreshView;
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
  let input: RefreshEventInput = {
    kind: occurrence.kind,
    refreshId: occurrence.refreshId,
    mode: group.mode,
    state,
    approvedAmiId,
    previousAmiId,
    checkpoint: occurrence.checkpoint,
  };
  if (needsEvidence(input)) {
    const view = occurrence.view ?? (await describeRefresh(deps.autoScaling, group.asgName, occurrence.refreshId));
    const since = view?.startTime ?? (state.refresh?.startedAt ? new Date(state.refresh.startedAt) : deps.now());
    const evidence = await describeRefreshEvidence(deps.autoScaling, group.asgName, since);
    input = { ...input, evidence, statusReason: view?.statusReason };
  }
  if (occurrence.kind === 'Started' && refreshOwner(input) === 'other') {
    const refused = await refuseWithoutHeadroom(deps, group, state, occurrence.refreshId);
    if (refused) return refused;
  }
  const decision: RefreshEventDecision = decideRefreshEvent(input);
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
          ? {
              checkpointPercentage: occurrence.checkpoint.percentage ?? '?',
              checkpointDelaySeconds: occurrence.checkpoint.delaySeconds ?? '?',
            }
          : {};
        const result = await deps.notifier.notify(
          notification(deps.config, group, decision.notify, { ...details, ...extra }, [
            id,
            ...(occurrence.checkpoint?.percentage ? [occurrence.checkpoint.percentage] : []),
          ]),
        );
        if (settled(result)) next = withNotified(next, category, fingerprint);
      }
      return { ...base, state: next, actions: [] };
    }
    case 'CANNOT_ROLLBACK': {
      const actions: string[] = [];
      if ((await addToDenyList(deps.ssm, deps.config.denyListParameterName, decision.failedAmiId)) === 'added') {
        actions.push(`PutParameter:${deps.config.denyListParameterName}+=${decision.failedAmiId}`);
      }
      await deps.notifier.notify(
        notification(
          deps.config,
          group,
          decision.notify,
          { ...details, failedAmi: decision.failedAmiId, reason: decision.reason },
          [id],
        ),
      );
      // The failed AMI stays approved (nothing to restore): record it as such, so reconcile.ts does not adopt it.
      return {
        ...base,
        state: withOutcome({ ...state, pending: undefined, approved: decision.failedAmiId }, id, occurrence.kind),
        actions,
      };
    }
    case 'ROLLBACK': {
      const started = await startRollback(deps, group, state, decision, occurrence.kind);
      const progress = await continueRollback(deps, group, started.state, pause, true);
      return {
        ...base,
        reason: `${decision.reason}; ${progress.step.reason}`,
        state: progress.state,
        persisted: progress.persisted ?? started.state,
        actions: [...started.actions, ...progress.actions],
      };
    }
    case 'ROLLBACK_PROGRESS': {
      const progress = await continueRollback(deps, group, state, pause);
      return {
        decision: `ROLLBACK_${progress.step.action}`,
        reason: `${decision.reason}; ${progress.step.reason}`,
        state: progress.state,
        persisted: progress.persisted,
        actions: progress.actions,
      };
    }
    case 'RESUME':
    case 'HOLD': {
      const at = deps.now().toISOString();
      const ended = withOutcome(state, id, occurrence.kind);
      const next: GroupState =
        decision.action === 'RESUME'
          ? {
              ...ended,
              pending: {
                amiId: decision.amiId,
                previousAmiId: decision.previousAmiId,
                at,
                writes: 0,
                resumed: decision.resumed,
              },
            }
          : {
              ...ended,
              pending: undefined,
              hold: { amiId: decision.amiId, previousAmiId: decision.previousAmiId, reason: decision.reason, at },
            };
      await deps.notifier.notify(
        notification(deps.config, group, decision.notify, { ...details, reason: decision.reason }, [
          id,
          decision.action,
        ]),
      );
      return { ...base, state: next, actions: [] };
    }
  }
}

/**
 * A refresh someone else started (Terraform's, an operator's) would drain every instance; when a service of the
 * cluster cannot be drained at all, cancel it now — with min 100 % / max 200 % nothing is terminated before the
 * replacements warmed up — rather than let a drain hang (issue 13, "no forced stop by default").
 */
async function refuseWithoutHeadroom(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  refreshId: string,
): Promise<StepResult | undefined> {
  const what = `Instance refresh ${refreshId} (not started by the AMI watcher)`;
  const check = await checkHeadroom(deps, group, state, what, 'cancelled before its first termination');
  if (check.ok) return undefined;
  const result = await cancelInstanceRefresh(deps.autoScaling, group.asgName);
  return {
    state: check.state,
    decision: 'CANCELLED_NO_HEADROOM',
    reason: `${check.reason}; CancelInstanceRefresh: ${result}`,
    actions: [`CancelInstanceRefresh:${refreshId}`],
  };
}
