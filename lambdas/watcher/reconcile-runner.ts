/**
 * Acts on decideReconcile (reconcile-decision.ts): starts the refresh of a pending promotion once SSM shows its AMI,
 * re-writes an approved value that never became visible, abandons it, or adopts an approved value written outside a
 * recorded promotion. Every write of the approved parameter is preceded by the state write that records it, so a crash
 * between any two calls leaves a state the next run (schedule, or SSM's Parameter Store Change event) finishes.
 */
import { rolloutPreferences, type WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import { startInstanceRefresh } from './adapters/autoscaling';
import { putAmiParameter, writeGroupState } from './adapters/ssm';
import { checkHeadroom } from './headroom-runner';
import { notification, settled } from './notifications';
import { decideReconcile, type ReconcileDecision } from './reconcile-decision';
import type { StepResult } from './refresh-runner';
import { GroupState, shouldNotify, withHistory, withNotified } from './state';
import type { PauseState, RefreshView } from './types';

export interface ReconcileFacts {
  readonly approvedAmiId?: string;
  readonly previousAmiId?: string;
  readonly activeRefresh?: RefreshView;
  readonly fleetAmiIds?: readonly (string | undefined)[];
  readonly denyList: readonly string[];
  readonly pause: PauseState;
}

export async function reconcileApproved(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  facts: ReconcileFacts,
  depth = 0,
): Promise<StepResult> {
  const decision = decideReconcile({ state, ...facts, paused: facts.pause.paused, now: deps.now() });
  const step = await act(deps, group, state, facts, decision);
  // An adoption that needs a refresh recorded a pending promotion: start it in the same run.
  if (decision.action === 'ADOPT' && decision.refresh && depth === 0) {
    const next = await reconcileApproved(deps, group, step.state, facts, 1);
    return {
      ...next,
      decision: next.decision === 'REFRESH_STARTED' ? 'ADOPTED_REFRESH_STARTED' : 'ADOPTED',
      reason: `${decision.reason}; ${next.reason}`,
      actions: [...step.actions, ...next.actions],
      persisted: next.persisted ?? step.persisted,
    };
  }
  return step;
}

async function act(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  facts: ReconcileFacts,
  decision: ReconcileDecision,
): Promise<StepResult> {
  const base = { decision: decision.action, reason: decision.reason };
  switch (decision.action) {
    case 'NONE':
    case 'WAIT':
      return { ...base, state, actions: [] };
    case 'START_REFRESH':
      return startRefresh(deps, group, state);
    case 'ADOPT_REFRESH': {
      const pending = state.pending as NonNullable<GroupState['pending']>;
      const refresh = decision.refresh;
      const next: GroupState = {
        ...state,
        pending: undefined,
        approved: pending.amiId,
        refresh: {
          id: refresh.id,
          amiId: pending.amiId,
          previousAmiId: pending.previousAmiId,
          startedAt: (refresh.startTime ?? deps.now()).toISOString(),
        },
      };
      return { ...base, state: next, actions: [] };
    }
    case 'SETTLE':
      return { ...base, state: { ...state, pending: undefined, approved: decision.amiId }, actions: [] };
    case 'REWRITE': {
      const pending = state.pending as NonNullable<GroupState['pending']>;
      // The record first (attempt count and time), then the rollback target, then the AMI: each write is idempotent.
      const next: GroupState = {
        ...state,
        pending: { ...pending, at: deps.now().toISOString(), writes: pending.writes + 1 },
      };
      await writeGroupState(deps.ssm, group.stateParameterName, next);
      const actions = await writeApproved(deps, group, decision.amiId, decision.previousAmiId);
      return {
        ...base,
        state: next,
        persisted: next,
        actions: [`PutParameter:${group.stateParameterName}`, ...actions],
      };
    }
    case 'ABANDON': {
      // SSM rejected the value (aws:ec2:image validation failed): give up on this AMI; it is in the history, so never
      // retried.
      const spec = {
        kind: 'ami.skipped' as const,
        severity: 'warning' as const,
        title: `Promotion of ${decision.amiId} abandoned: SSM did not accept it as the approved AMI`,
      };
      await deps.notifier.notify(
        notification(deps.config, group, spec, { ami: decision.amiId, approvedAmi: facts.approvedAmiId ?? 'none' }, [
          decision.amiId,
          'VALIDATION_FAILED',
        ]),
      );
      return {
        ...base,
        reason: spec.title,
        state: { ...state, pending: undefined, approved: decision.previousAmiId },
        actions: [],
      };
    }
    case 'ADOPT': {
      let next: GroupState = withHistory({ ...state, pending: undefined }, decision.amiId);
      next = decision.refresh
        ? {
            ...next,
            pending: {
              amiId: decision.amiId,
              previousAmiId: decision.previousAmiId,
              at: deps.now().toISOString(),
              writes: 0,
              adopted: true,
            },
          }
        : { ...next, approved: decision.amiId };
      if (shouldNotify(state, 'ami.adopted', decision.amiId)) {
        const title = decision.refresh
          ? `AMI ${decision.amiId} found in the approved parameter without a promotion ` +
            `record: adopting it (instance refresh from ${decision.previousAmiId})`
          : `AMI ${decision.amiId} found in the approved parameter without ` +
            `a promotion record: adopted (every instance already runs it)`;
        const result = await deps.notifier.notify(
          notification(
            deps.config,
            group,
            { kind: 'ami.promoted', severity: 'warning', title },
            { ami: decision.amiId, previousAmi: decision.previousAmiId, reason: decision.reason },
            [decision.amiId, 'adopted'],
          ),
        );
        if (settled(result)) next = withNotified(next, 'ami.adopted', decision.amiId);
      }
      return { ...base, state: next, actions: [] };
    }
    case 'BLOCKED': {
      const fingerprint = `${decision.amiId}:${decision.code}`;
      if (!shouldNotify(state, 'ami.adopted.blocked', fingerprint)) return { ...base, state, actions: [] };
      const severity = decision.code === 'DENIED' ? ('critical' as const) : ('warning' as const);
      const title =
        `Approved AMI ${decision.amiId} has no promotion record and is not rolled out: ` +
        `${decision.code === 'DENIED' ? 'it is on the deny list' : 'the pause switch is on'}`;
      const result = await deps.notifier.notify(
        notification(
          deps.config,
          group,
          { kind: 'ami.skipped', severity, title },
          { ami: decision.amiId, reason: decision.reason },
          [decision.amiId, decision.code],
        ),
      );
      return {
        ...base,
        state: settled(result) ? withNotified(state, 'ami.adopted.blocked', fingerprint) : state,
        actions: [],
      };
    }
  }
}

/** previous = rollback target first, then approved = the AMI (both aws:ec2:image, validated asynchronously by SSM). */
export async function writeApproved(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  amiId: string,
  previousAmiId: string,
): Promise<string[]> {
  const approvedName = group.approvedParameterName as string;
  const previousName = group.previousParameterName as string;
  await putAmiParameter(deps.ssm, previousName, previousAmiId);
  await putAmiParameter(deps.ssm, approvedName, amiId);
  return [`PutParameter:${previousName}=${previousAmiId}`, `PutParameter:${approvedName}=${amiId}`];
}

async function startRefresh(deps: WatcherDeps, group: WatcherNodeGroup, state: GroupState): Promise<StepResult> {
  const pending = state.pending as NonNullable<GroupState['pending']>;
  const headroom = await checkHeadroom(deps, group, state, `Rollout of ${pending.amiId}`, 'not started');
  if (!headroom.ok)
    return { state: headroom.state, decision: 'REFUSED_NO_HEADROOM', reason: headroom.reason, actions: [] };
  const result = await startInstanceRefresh(deps.autoScaling, group.asgName, rolloutPreferences(group));
  if (!result.started) return { state, decision: 'WAIT', reason: result.reason, actions: [] };
  let next: GroupState = {
    ...state,
    pending: undefined,
    approved: pending.amiId,
    refresh: {
      id: result.refreshId,
      amiId: pending.amiId,
      previousAmiId: pending.previousAmiId,
      startedAt: deps.now().toISOString(),
      ...(pending.resumed ? { resumed: pending.resumed } : {}),
    },
  };
  const spec = {
    kind: 'refresh.started' as const,
    severity: 'info' as const,
    title: `Instance refresh started: ${pending.previousAmiId} → ${pending.amiId}`,
  };
  const notified = await deps.notifier.notify(
    notification(
      deps.config,
      group,
      spec,
      { refreshId: result.refreshId, ami: pending.amiId, previousAmi: pending.previousAmiId },
      [result.refreshId],
    ),
  );
  // Same category/fingerprint as the Started event, so the event does not page a second time.
  if (settled(notified)) next = withNotified(next, 'refresh.Started', result.refreshId);
  return {
    state: next,
    decision: 'REFRESH_STARTED',
    reason: spec.title,
    actions: [`StartInstanceRefresh:${result.refreshId}`],
  };
}
