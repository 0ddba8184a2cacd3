/**
 * Per-instance outcome of a gate run, and the helpers every runner uses: isolate each instance (throttling → retry
 * later, other errors → logged, the rest still evaluated, then rethrown) and log exactly one line per decision.
 */
import { RetryLaterError, errorMessage, errorName } from '../shared/aws-errors';
import { mapWithLimit } from '../shared/collections';
import { LogFields } from '../shared/observability';
import { GateDeps } from './deps';
import { GateKind } from './events';
import { GateTarget } from './targets';
import { GateDecision } from './types';

export type OutcomeDecision = GateDecision | 'RETRY_LATER' | 'ERROR';

export interface GateOutcome {
  readonly instanceId: string;
  readonly nodeGroup: string;
  readonly hook: string;
  readonly decision: OutcomeDecision;
  readonly reason: string;
  /** AWS writes performed for this decision, e.g. `CompleteLifecycleAction:CONTINUE`, `StopTask×2`. */
  readonly actions: readonly string[];
}

/** Instances acted on in parallel during a sweep (each does a few writes); keeps well below API rate limits. */
const ACT_CONCURRENCY = 5;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The outcome of acting on one target. */
export function outcomeOf(
  target: GateTarget,
  decision: OutcomeDecision,
  reason: string,
  actions: readonly string[],
): GateOutcome {
  return {
    instanceId: target.instanceId,
    nodeGroup: target.nodeGroup.name,
    hook: target.hookName,
    decision,
    reason,
    actions,
  };
}

/**
 * Pages operators about a gate decision that needs a human (launch abandoned, drain forced). Deduplicated per instance
 * and kind; a missing notifier (tests, simulator) leaves the log line and the metric as the alert.
 */
export async function alertOperators(
  deps: GateDeps,
  target: GateTarget,
  alert: {
    readonly kind: 'launch.abandoned' | 'drain.forced';
    readonly severity: 'warning' | 'critical';
    readonly title: string;
    readonly reason: string;
  },
): Promise<void> {
  await deps.notifier?.notify({
    kind: alert.kind,
    severity: alert.severity,
    cluster: deps.config.clusterName,
    nodeGroup: target.nodeGroup.name,
    title: alert.title,
    details: { instance: target.instanceId, autoScalingGroup: target.asgName, reason: alert.reason },
    dedupeKey: `${alert.kind}:${target.instanceId}`,
  });
}

/** The single structured line per decision (instance, hook, decision, reason, plus extra context). */
export function logDecision(
  deps: GateDeps,
  gate: GateKind,
  level: LogLevel,
  outcome: GateOutcome,
  extra: LogFields = {},
): void {
  deps.logger[level](`${gate} gate decision`, {
    gate,
    instanceId: outcome.instanceId,
    nodeGroup: outcome.nodeGroup,
    hook: outcome.hook,
    decision: outcome.decision,
    reason: outcome.reason,
    actions: outcome.actions,
    ...extra,
  });
}

/**
 * Evaluates targets (a few in parallel). A throttled call ends that instance's check as RETRY_LATER; any other error is
 * logged, the remaining instances are still evaluated, and an error is thrown at the end so Lambda's async retry /
 * DLQ see the failure. Lifecycle actions are only completed inside `evaluate`, never on these error paths.
 */
export async function evaluateEach(
  targets: readonly GateTarget[],
  deps: GateDeps,
  gate: GateKind,
  evaluate: (target: GateTarget) => Promise<GateOutcome>,
): Promise<GateOutcome[]> {
  const failures: string[] = [];
  const outcomes = await mapWithLimit(targets, ACT_CONCURRENCY, async (target): Promise<GateOutcome> => {
    const base = {
      instanceId: target.instanceId,
      nodeGroup: target.nodeGroup.name,
      hook: target.hookName,
      actions: [],
    };
    try {
      return await evaluate(target);
    } catch (error) {
      if (error instanceof RetryLaterError) {
        const outcome: GateOutcome = { ...base, decision: 'RETRY_LATER', reason: error.message };
        logDecision(deps, gate, 'warn', outcome);
        return outcome;
      }
      const outcome: GateOutcome = {
        ...base,
        decision: 'ERROR',
        reason: `${errorName(error)}: ${errorMessage(error)}`,
      };
      logDecision(deps, gate, 'error', outcome);
      failures.push(`${target.instanceId}: ${outcome.reason}`);
      return outcome;
    }
  });
  if (failures.length > 0) {
    throw new Error(
      `${gate} gate failed for ${failures.length} of ${targets.length} instance(s): ${failures.join('; ')}`,
    );
  }
  return outcomes;
}
