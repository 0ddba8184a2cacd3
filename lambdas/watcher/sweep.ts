/**
 * The scheduled evaluation of one node group (also run for legacy SNS messages and manual invocations). In order:
 *  1. the watcher's own refresh: ended but its event was lost → handle it now; still running → cancel it when the
 *     launch gate abandoned enough launches of its AMI or it is past its deadline (running-refresh-runner.ts);
 *  2. a rollback is under way → its next step (rollback-decision.ts);
 *  3. reconcile the approved parameter with the state (reconcile.ts): finish a pending promotion (start its refresh
 *  once SSM shows the AMI, re-write it, or abandon it) or adopt an approved AMI no promotion recorded;
 *  4. the promotion policy on the source parameter → PROMOTE / REPORT_ONLY / SKIP / NOTHING_NEW, then act.
 * Events make it fast; this sweep makes it correct. `scope: 'resume'` (SSM's Parameter Store Change for an approved
 * parameter or the pause switch) runs steps 2 and 3 only; the pause switch turned off also releases a held promotion.
 * `scope: 'activity'` (an Auto Scaling launch failure) runs steps 1 and 2 only.
 */
import type { WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import { describeFleet, findActiveRefresh } from './adapters/autoscaling';
import { describeImages } from './adapters/ec2';
import { readAmiParameter, readCandidate, readGroupState, writeGroupState } from './adapters/ssm';
import { amiCounts, notification, settled } from './notifications';
import type { GroupOutcome } from './outcome';
import { decidePromotion, PromotionDecision, SkipCode } from './promotion-decision';
import { needsPreviousParameter } from './reconcile-decision';
import { reconcileApproved, writeApproved, type ReconcileFacts } from './reconcile-runner';
import { checkOwnRefresh } from './running-refresh-runner';
import { continueRollback } from './rollback-runner';
import { GroupState, sameState, shouldNotify, withHistory, withNotified } from './state';
import type { Candidate, FleetView, PauseState } from './types';

export interface SweepContext {
  readonly pause: PauseState;
  readonly denyList: readonly string[];
}

/** Skips that resolve themselves within the hour: logged, never notified. */
const TRANSIENT_SKIPS: ReadonlySet<SkipCode> = new Set([
  'REFRESH_IN_PROGRESS',
  'PROMOTION_PENDING',
  'ROLLBACK_IN_PROGRESS',
  // Notified (critical) when the hold was set.
  'HELD',
]);
const WARNING_SKIPS: ReadonlySet<SkipCode> = new Set([
  'PARAMETER_MISSING',
  'INVALID_PARAMETER',
  'NO_APPROVED_AMI',
  'IMAGE_NOT_FOUND',
  'DENIED',
]);

interface Run {
  state: GroupState;
  /** The state as last written (initially as loaded): the final write happens only when `state` differs. */
  persisted: GroupState;
  readonly actions: string[];
  readonly notes: string[];
}

export type SweepScope = 'full' | 'activity' | 'rollback' | 'resume' | 'unpause';

/**
 * `'activity'` (a launch failed): steps 1 and 2. `'rollback'` (an instance terminated): step 2. `'resume'`: steps 2 and
 * 3; `'unpause'` also releases a held promotion.
 */
export async function sweepGroup(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  ctx: SweepContext,
  scope: SweepScope = 'full',
): Promise<GroupOutcome> {
  const loaded = await readGroupState(deps.ssm, group.stateParameterName);
  if (loaded.problem) deps.logger.warn('ami watcher state reset', { nodeGroup: group.name, problem: loaded.problem });
  const run: Run = { state: loaded.state, persisted: loaded.state, actions: [], notes: [] };
  const result = await evaluate(deps, group, ctx, scope, run);
  if (!sameState(run.persisted, run.state)) {
    await writeGroupState(deps.ssm, group.stateParameterName, run.state);
    run.actions.push(`PutParameter:${group.stateParameterName}`);
  }
  const reason = [result.reason, ...run.notes].join('; ');
  return { nodeGroup: group.name, mode: group.mode, ...result, reason, actions: run.actions };
}

async function evaluate(deps: WatcherDeps, group: WatcherNodeGroup, ctx: SweepContext, scope: SweepScope, run: Run) {
  const auto = group.mode === 'auto';
  let rolledBackNow = false;
  if (auto && (scope === 'full' || scope === 'activity')) {
    const step = await checkOwnRefresh(deps, group, run.state, ctx.pause);
    if (step) {
      // A rollback started just now already took its first step.
      rolledBackNow = step.decision === 'ROLLBACK';
      run.state = step.state;
      if (step.persisted) run.persisted = step.persisted;
      run.actions.push(...step.actions);
      if (scope === 'activity') return { decision: step.decision, reason: step.reason };
      run.notes.push(`own refresh: ${step.decision} (${step.reason})`);
    }
  }
  if (auto && run.state.rollback && !rolledBackNow) {
    const progress = await continueRollback(deps, group, run.state, ctx.pause);
    run.state = progress.state;
    if (progress.persisted) run.persisted = progress.persisted;
    run.actions.push(...progress.actions);
    if (scope === 'activity' || scope === 'rollback')
      return { decision: `ROLLBACK_${progress.step.action}`, reason: progress.step.reason };
    run.notes.push(`rollback: ${progress.step.action} (${progress.step.reason})`);
  } else if (scope === 'activity' || scope === 'rollback') {
    return { decision: 'NOTHING_TO_DO', reason: 'no refresh or rollback of the watcher in progress' };
  }
  if ((scope === 'resume' || scope === 'unpause') && !auto)
    return { decision: 'NOTHING_TO_DO', reason: 'gitops: the watcher writes no AMI' };
  if (scope === 'unpause' && run.state.hold && !ctx.pause.paused) releaseHold(deps, run);

  const approvedAmiId = auto ? await readAmiParameter(deps.ssm, group.approvedParameterName as string) : undefined;
  const activeRefresh = auto ? await findActiveRefresh(deps.autoScaling, group.asgName) : undefined;
  const fleet = await describeFleet(deps.autoScaling, deps.ec2, group.asgName);
  const fleetAmiIds = fleet?.instances.map((i) => i.imageId) ?? [];
  const facts: ReconcileFacts = {
    approvedAmiId,
    activeRefresh,
    fleetAmiIds: fleet ? fleetAmiIds : undefined,
    denyList: ctx.denyList,
    pause: ctx.pause,
  };
  if (auto) {
    const previousAmiId = needsPreviousParameter(run.state)
      ? await readAmiParameter(deps.ssm, group.previousParameterName as string)
      : undefined;
    const step = await reconcileApproved(deps, group, run.state, { ...facts, previousAmiId });
    run.state = step.state;
    if (step.persisted) run.persisted = step.persisted;
    run.actions.push(...step.actions);
    if (scope === 'resume' || scope === 'unpause' || step.decision.endsWith('REFRESH_STARTED')) {
      return {
        decision: step.decision,
        reason: step.reason,
        amiId: run.state.refresh?.amiId ?? run.state.pending?.amiId ?? approvedAmiId,
      };
    }
    if (step.decision !== 'NONE') run.notes.push(`reconcile ${step.decision}: ${step.reason}`);
  }

  const candidate = await readCandidate(deps.ssm, group.sourceParameterName);
  const withFacts = await addFacts(deps, candidate);
  const rollback = run.state.rollback;
  const decision = decidePromotion({
    mode: group.mode,
    candidate: withFacts,
    approvedAmiId,
    fleetAmiIds,
    historyAmiIds: run.state.history,
    denyList: ctx.denyList,
    pause: ctx.pause,
    activeRefresh,
    rollback: rollback
      ? { failedAmiId: rollback.failedAmiId, remaining: fleetAmiIds.filter((id) => id === rollback.failedAmiId).length }
      : undefined,
    pendingAmiId: run.state.pending?.amiId,
    heldAmiId: run.state.hold?.amiId,
    minAmiAgeHours: deps.config.policy.minAmiAgeHours,
    maintenanceWindows: deps.config.policy.maintenanceWindows,
    now: deps.now(),
  });
  run.notes.push(`fleet: ${amiCounts(fleetAmiIds)}`);
  await act(deps, group, decision, withFacts, fleet, facts, run);
  return { decision: decision.action, reason: decision.reason, amiId: decision.amiId };
}

/** The operator turned the pause switch off: the held promotion resumes (its refresh starts once nothing else runs). */
function releaseHold(deps: WatcherDeps, run: Run): void {
  const hold = run.state.hold as NonNullable<GroupState['hold']>;
  run.state = {
    ...run.state,
    hold: undefined,
    pending: {
      amiId: hold.amiId,
      previousAmiId: hold.previousAmiId,
      at: deps.now().toISOString(),
      writes: 0,
      resumed: 1,
    },
  };
  run.notes.push(`hold of ${hold.amiId} released (pause switch off)`);
}

async function addFacts(deps: WatcherDeps, candidate: Candidate): Promise<Candidate> {
  if (candidate.kind !== 'ami') return candidate;
  const facts = (await describeImages(deps.ec2, [candidate.amiId])).get(candidate.amiId);
  return { ...candidate, facts };
}

async function act(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  decision: PromotionDecision,
  candidate: Candidate,
  fleet: FleetView | undefined,
  reconcile: ReconcileFacts,
  run: Run,
): Promise<void> {
  const approvedAmiId = reconcile.approvedAmiId;
  const facts = candidate.kind === 'ami' ? candidate.facts : undefined;
  const amiDetails = {
    ...(facts?.name ? { amiName: facts.name } : {}),
    ...(facts?.creationDate ? { amiCreated: facts.creationDate.toISOString() } : {}),
    source: group.sourceParameterName,
  };
  switch (decision.action) {
    case 'NOTHING_NEW':
      return;
    case 'SKIP': {
      if (TRANSIENT_SKIPS.has(decision.code)) return;
      const subject = decision.amiId ?? (candidate.kind === 'invalid' ? candidate.value : candidate.kind);
      const fingerprint = `${subject}:${decision.code}`;
      if (!shouldNotify(run.state, 'ami.skipped', fingerprint)) return;
      const firstSight = decision.amiId !== undefined && shouldNotify(run.state, 'ami.detected', decision.amiId);
      const title =
        decision.amiId === undefined
          ? `No AMI promoted: ${decision.reason}`
          : firstSight
            ? `New AMI ${decision.amiId} detected; not promoted yet: ${decision.reason}`
            : `AMI ${decision.amiId} not promoted: ${decision.reason}`;
      const severity = WARNING_SKIPS.has(decision.code) ? 'warning' : 'info';
      const result = await deps.notifier.notify(
        notification(
          deps.config,
          group,
          { kind: 'ami.skipped', severity, title },
          {
            code: decision.code,
            reason: decision.reason,
            ...(approvedAmiId ? { approvedAmi: approvedAmiId } : {}),
            ...amiDetails,
          },
          [fingerprint],
        ),
      );
      if (settled(result)) {
        run.state = withNotified(run.state, 'ami.skipped', fingerprint);
        if (decision.amiId) run.state = withNotified(run.state, 'ami.detected', decision.amiId);
      }
      return;
    }
    case 'REPORT_ONLY':
      return reportOnly(deps, group, decision, amiDetails, fleet, run);
    case 'PROMOTE':
      return promote(deps, group, decision.amiId, amiDetails, reconcile, run);
  }
}

async function reportOnly(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  decision: Extract<PromotionDecision, { action: 'REPORT_ONLY' }>,
  amiDetails: Record<string, string>,
  fleet: FleetView | undefined,
  run: Run,
): Promise<void> {
  const older = decision.instancesOnOlderAmis;
  const title = `New AMI ${decision.amiId} available for node group ${group.name}; ${older} instance(s) run older AMIs`;
  const fleetAmis = amiCounts(fleet?.instances.map((i) => i.imageId) ?? []);
  const result = await deps.notifier.notify(
    notification(
      deps.config,
      group,
      { kind: 'ami.detected', severity: 'info', title },
      { ami: decision.amiId, instancesOnOlderAmis: older, fleetAmis, ...amiDetails },
      [decision.amiId],
    ),
  );
  let pipeline: string = 'not configured';
  if (deps.pipeline) {
    pipeline = await deps.pipeline.post({
      type: 'ecs-ami-rollout.ami-available',
      version: 1,
      cluster: deps.config.clusterName,
      nodeGroup: group.name,
      asgName: group.asgName,
      amiId: decision.amiId,
      amiName: amiDetails.amiName,
      amiCreationDate: amiDetails.amiCreated,
      sourceParameterName: group.sourceParameterName,
      instancesOnOlderAmis: older,
      detectedAt: deps.now().toISOString(),
    });
    if (pipeline === 'sent') run.actions.push('PipelineWebhook:POST');
  }
  run.notes.push(`pipeline webhook: ${pipeline}`);
  // Remember the AMI only when nothing is left to retry; otherwise the next run reports it again.
  if (settled(result) && pipeline !== 'failed')
    run.state = withNotified(withHistory(run.state, decision.amiId), 'ami.detected', decision.amiId);
}

async function promote(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  amiId: string,
  amiDetails: Record<string, string>,
  facts: ReconcileFacts,
  run: Run,
): Promise<void> {
  const approvedAmiId = facts.approvedAmiId as string;
  // The record first, then the rollback target, then the new AMI: a crash at any point leaves either nothing (the next
  // run promotes again) or a pending promotion that reconcile.ts finishes (re-writes the AMI, or starts its refresh).
  run.state = {
    ...withHistory(run.state, amiId),
    pending: { amiId, previousAmiId: approvedAmiId, at: deps.now().toISOString(), writes: 1 },
  };
  await writeGroupState(deps.ssm, group.stateParameterName, run.state);
  run.persisted = run.state;
  run.actions.push(`PutParameter:${group.stateParameterName}`);
  run.actions.push(...(await writeApproved(deps, group, amiId, approvedAmiId)));
  const title = `AMI ${amiId} promoted for node group ${group.name} (was ${approvedAmiId})`;
  const result = await deps.notifier.notify(
    notification(
      deps.config,
      group,
      { kind: 'ami.promoted', severity: 'info', title },
      { ami: amiId, previousAmi: approvedAmiId, ...amiDetails },
      [amiId],
    ),
  );
  if (settled(result)) run.state = withNotified(withNotified(run.state, 'ami.promoted', amiId), 'ami.detected', amiId);
  // SSM validates aws:ec2:image asynchronously: usually still the old value here; then the Parameter Store Change event
  // (or the next run) starts the refresh.
  const visible = await readAmiParameter(deps.ssm, group.approvedParameterName as string);
  const step = await reconcileApproved(deps, group, run.state, { ...facts, approvedAmiId: visible });
  run.state = step.state;
  if (step.persisted) run.persisted = step.persisted;
  run.actions.push(...step.actions);
  run.notes.push(step.reason);
}
