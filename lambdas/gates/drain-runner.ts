/**
 * Drain gate run: chunk by chunk (oldest first, deadline-aware: run-budget.ts), read the container instances and the
 * drains' tasks in batched calls (drain-knowledge.ts), decide per instance (drain-decision.ts), write in batches
 * (gate-actions.ts), alert, log one line per instance, measure. A throttled read only affects the instances it was
 * for: they are decided on what is known (never CONTINUE without it) and still get their heartbeat when due
 * (throttling delays a decision, never lets a hook expire).
 */
import { RetryLaterError, errorMessage, errorName } from '../shared/aws-errors';
import { unique } from '../shared/collections';
import { recordLifecycleHeartbeat } from './adapters/autoscaling';
import { lookupContainerInstances, putAttributes } from './adapters/ecs-instances';
import { InstanceCheck } from './checks';
import { GateDeps } from './deps';
import {
  DrainDecision,
  DrainPolicy,
  HELD_ALERT_INTERVAL_SECONDS,
  decideDrain,
  describeWait,
  heartbeatDueWhileThrottled,
  waitStartOf,
} from './drain-decision';
import { RunServices, loadDrainKnowledge } from './drain-knowledge';
import { drainStateAttributes, readDrainState } from './drain-state';
import { Plan, executePlans } from './gate-actions';
import { GateOutcome, alertOperators, logDecision, outcomeOf } from './outcome';
import { RunBudget, UNBOUNDED, inChunks } from './run-budget';
import { ContainerInstanceView, DRAIN_WAIT_STATES } from './types';
import { GateWarmCache } from './warm-cache';

export function drainPolicyOf(deps: GateDeps, check: InstanceCheck): DrainPolicy {
  return {
    maxDrainSeconds: deps.config.maxDrainSeconds,
    standaloneTaskGraceSeconds: deps.config.standaloneTaskGraceSeconds,
    heartbeatTimeoutSeconds: check.nodeGroup.terminateHeartbeatSeconds,
    heldAlertIntervalSeconds: HELD_ALERT_INTERVAL_SECONDS,
    forceDrainAfterSeconds: deps.config.forceDrainAfterSeconds,
  };
}

export async function runDrainGate(
  checks: readonly InstanceCheck[],
  deps: GateDeps,
  cache = new GateWarmCache(),
  budget: RunBudget = UNBOUNDED,
): Promise<GateOutcome[]> {
  const services: RunServices = new Map();
  return inChunks(checks, deps, 'drain', budget, (part) => drainChunk(part, deps, cache, services));
}

async function drainChunk(
  part: readonly InstanceCheck[],
  deps: GateDeps,
  cache: GateWarmCache,
  services: RunServices,
): Promise<GateOutcome[]> {
  const now = deps.now();
  const cluster = deps.config.clusterArn;
  const waiting = part.filter(
    (check) => check.lifecycleState !== undefined && DRAIN_WAIT_STATES.has(check.lifecycleState),
  );
  const ids = unique(waiting.map((check) => check.instanceId));
  const hints = new Map(
    waiting.flatMap((check) =>
      check.containerInstanceArn ? [[check.instanceId, check.containerInstanceArn] as const] : [],
    ),
  );
  const lookup =
    ids.length > 0 ? await lookupContainerInstances(deps.ecs, cluster, ids, cache.knownArns(ids, hints)) : undefined;
  const instances = lookup?.byEc2Id ?? new Map<string, ContainerInstanceView>();
  for (const [id, ci] of instances) cache.rememberArn(id, ci.arn);
  const knowledge = await loadDrainKnowledge(deps.ecs, cluster, [...instances.values()], cache, {
    now,
    standaloneTaskGraceSeconds: deps.config.standaloneTaskGraceSeconds,
    services,
  });

  const plans: Plan[] = [];
  const decisions = new Map<Plan, DrainDecision>();
  const throttledOutcomes: GateOutcome[] = [];
  const partial = new Map<Plan, RetryLaterError>();
  for (const check of part) {
    const ci = instances.get(check.instanceId);
    const throttled = lookup?.throttled.get(check.instanceId);
    if (throttled && check.lifecycleState !== undefined && DRAIN_WAIT_STATES.has(check.lifecycleState)) {
      throttledOutcomes.push(await heartbeatWhileThrottled(check, ci, throttled, deps, cache, now));
      continue;
    }
    // A throttled task or service read leaves them unknown: the decision then never continues, but still sets an
    // ACTIVE instance DRAINING and heartbeats when due.
    const decision = decideDrain(
      {
        instanceId: check.instanceId,
        lifecycleState: check.lifecycleState,
        containerInstance: ci,
        tasks: ci ? knowledge.tasksByInstance.get(ci.arn) : undefined,
        services: ci ? knowledge.servicesByInstance.get(ci.arn) : undefined,
        state: readDrainState(ci),
        lifecycleEventTime: check.eventTime,
        waitStartedAfter: check.waitStartedAfter,
      },
      drainPolicyOf(deps, check),
      now,
    );
    const unread = ci ? knowledge.throttled.get(ci.arn) : undefined;
    const plan = planOf(check, ci, decision, deps);
    if (unread) partial.set(plan, unread);
    plans.push(plan);
    decisions.set(plan, decision);
  }
  await executePlans(plans, deps, now);
  for (const [plan, throttle] of partial) {
    if (plan.decision !== 'WAIT') continue;
    plan.decision = 'RETRY_LATER';
    plan.reason = `${throttle.message}; meanwhile: ${plan.reason}`;
  }
  const outcomes: GateOutcome[] = [];
  for (const plan of plans) outcomes.push(await report(plan, decisions.get(plan) as DrainDecision, deps, cache, now));
  return [...outcomes, ...throttledOutcomes];
}

function planOf(
  check: InstanceCheck,
  ci: ContainerInstanceView | undefined,
  decision: DrainDecision,
  deps: GateDeps,
): Plan {
  const grace = deps.config.standaloneTaskGraceSeconds;
  return {
    check,
    decision: decision.decision,
    reason: decision.reason,
    actions: [],
    containerInstanceArn: ci?.arn,
    heartbeat: decision.heartbeat,
    setDraining: decision.setDraining,
    stopTaskArns: decision.stopTaskArns,
    stopReason:
      `ecs-ami-rollout: instance ${check.instanceId} is being replaced; standalone task stopped after the ${grace} s ` +
      'drain grace period',
    complete: decision.decision === 'CONTINUE' ? 'CONTINUE' : undefined,
    attributes: (heartbeatSentAt) =>
      drainStateAttributes({
        drainStartedAt: decision.recordDrainStartedAt,
        lastHeartbeatAt: heartbeatSentAt,
        heldAlertedAt: decision.recordHeldAlertAt,
        services: decision.recordServices,
      }),
  };
}

/** Metrics, alerts, the warm cache and the decision's log line, once the writes are done. */
async function report(
  plan: Plan,
  decision: DrainDecision,
  deps: GateDeps,
  cache: GateWarmCache,
  now: Date,
): Promise<GateOutcome> {
  const { check } = plan;
  const dimensions = { cluster: deps.config.clusterName, nodeGroup: check.nodeGroup.name };
  if (plan.heartbeatSentAt) cache.rememberHeartbeat(check.instanceId, plan.heartbeatSentAt);
  if (plan.decision === 'CONTINUE') {
    if (decision.elapsedSeconds !== undefined)
      deps.metrics.record('DrainSeconds', 'Seconds', decision.elapsedSeconds, dimensions);
    if (decision.forced) deps.metrics.record('DrainsForced', 'Count', 1, dimensions);
  }
  if (plan.decision === 'WAIT' && plan.stopTaskArns.length > 0) {
    deps.metrics.record('StandaloneTasksStopped', 'Count', plan.stopTaskArns.length, dimensions);
  }
  if (plan.decision === 'CONTINUE' || plan.decision === 'NOOP') {
    if (plan.containerInstanceArn) cache.forgetDrain(plan.containerInstanceArn);
    cache.rememberSettled(check.instanceId, now);
  }
  const alert = decision.alert;
  const alerted =
    alert !== undefined && (plan.decision === 'WAIT' || (plan.decision === 'CONTINUE' && decision.forced));
  if (alerted && alert.kind === 'drain.held') deps.metrics.record('DrainsHeld', 'Count', 1, dimensions);
  if (alerted) {
    await alertOperators(deps, check, {
      kind: alert.kind,
      severity: alert.kind === 'drain.warm-pool' ? 'warning' : 'critical',
      title: ALERT_TITLES[alert.kind](check.instanceId),
      reason: alert.reason,
      dedupeSuffix: decision.recordHeldAlertAt?.toISOString(),
    });
  }
  const outcome = outcomeOf(check, plan.decision, plan.reason, plan.actions);
  const level = plan.decision === 'ERROR' || (alerted && alert.kind !== 'drain.warm-pool') ? 'error' : 'info';
  logDecision(deps, 'drain', plan.decision === 'RETRY_LATER' ? 'warn' : level, outcome, {
    asgName: check.asgName,
    containerInstanceArn: plan.containerInstanceArn ?? null,
    lifecycleState: check.lifecycleState ?? null,
    elapsedSeconds: decision.elapsedSeconds ?? null,
    forced: decision.forced && plan.decision === 'CONTINUE',
    held: decision.held.map((service) => service.service),
    alert: alerted ? alert.kind : null,
    waitingOn: describeWait(decision.waitingOn),
  });
  return outcome;
}

const ALERT_TITLES: Record<'drain.held' | 'drain.forced' | 'drain.warm-pool', (id: string) => string> = {
  'drain.held': (id) => `Drain held: ${id} cannot be drained without your help`,
  'drain.forced': (id) => `Drain forced: ${id} terminated with work still on it`,
  'drain.warm-pool': (id) => `Warm pool not supported: ${id} drained before it returns to the pool`,
};

/**
 * Heartbeat first: the check could not read everything it needs (throttled), so nothing is decided, but the hook is
 * kept alive when its heartbeat is due. Logged as RETRY_LATER; the next event or sweep decides.
 */
async function heartbeatWhileThrottled(
  check: InstanceCheck,
  ci: ContainerInstanceView | undefined,
  throttled: RetryLaterError,
  deps: GateDeps,
  cache: GateWarmCache,
  now: Date,
): Promise<GateOutcome> {
  const actions: string[] = [];
  const due = heartbeatDueWhileThrottled(
    ci ? readDrainState(ci) : undefined,
    cache.heartbeatSentAt(check.instanceId),
    waitStartOf(
      { lifecycleEventTime: check.eventTime, waitStartedAfter: check.waitStartedAfter },
      check.nodeGroup.terminateHeartbeatSeconds,
      now,
    ),
    check.nodeGroup.terminateHeartbeatSeconds,
    now,
  );
  let outcome = outcomeOf(check, 'RETRY_LATER', throttled.message, actions);
  if (due) {
    try {
      const ref = {
        asgName: check.asgName,
        hookName: check.hookName,
        instanceId: check.instanceId,
        token: check.token,
      };
      if ((await recordLifecycleHeartbeat(deps.autoScaling, ref)) === 'already-complete') {
        outcome = outcomeOf(check, 'NOOP', 'lifecycle action already complete', actions);
      } else {
        actions.push('RecordLifecycleActionHeartbeat');
        cache.rememberHeartbeat(check.instanceId, now);
        // Best effort: the environment remembers the heartbeat; a lost record costs one spare heartbeat later.
        if (ci) {
          await putAttributes(
            deps.ecs,
            deps.config.clusterArn,
            new Map([[ci.arn, drainStateAttributes({ lastHeartbeatAt: now })]]),
          );
          actions.push('PutAttributes');
        }
      }
    } catch (error) {
      if (!(error instanceof RetryLaterError)) outcome = outcomeOf(check, 'ERROR', errorDescription(error), actions);
    }
  }
  logDecision(deps, 'drain', outcome.decision === 'NOOP' ? 'info' : 'warn', outcome, {
    asgName: check.asgName,
    containerInstanceArn: ci?.arn ?? null,
  });
  return outcome;
}

function errorDescription(error: unknown): string {
  return `${errorName(error)}: ${errorMessage(error)}`;
}
