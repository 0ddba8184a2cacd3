/**
 * Per-instance outcome of a gate run, and the helpers every runner uses: alert operators, and log exactly one line per
 * decision.
 */
import { LogFields } from '../shared/observability';
import { GateDeps } from './deps';
import { GateKind } from './events';
import { InstanceCheck } from './checks';
import { GateDecision } from './types';

/** RETRY_LATER: throttled, nothing decided. DEFERRED: not reached before the invocation's deadline (next trigger). */
export type OutcomeDecision = GateDecision | 'RETRY_LATER' | 'DEFERRED' | 'ERROR';

export interface GateOutcome {
  readonly instanceId: string;
  readonly nodeGroup: string;
  readonly hook: string;
  readonly decision: OutcomeDecision;
  readonly reason: string;
  /** AWS writes performed for this decision, e.g. `CompleteLifecycleAction:CONTINUE`, `StopTask×2`. */
  readonly actions: readonly string[];
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The outcome of acting on one target. */
export function outcomeOf(
  target: InstanceCheck,
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

export type GateAlertKind = 'launch.abandoned' | 'launch.warm-pool' | 'drain.forced' | 'drain.held' | 'drain.warm-pool';

/**
 * Pages operators about a gate decision that needs a human (launch abandoned, drain held or forced, warm pool met).
 * Deduplicated per instance and kind; a missing notifier (tests, simulator) leaves the log line and the metric as the
 * alert.
 */
export async function alertOperators(
  deps: GateDeps,
  target: InstanceCheck,
  alert: {
    readonly kind: GateAlertKind;
    readonly severity: 'warning' | 'critical';
    readonly title: string;
    readonly reason: string;
    /** Distinguishes repeats that must page again (a held drain's periodic reminder). */
    readonly dedupeSuffix?: string;
  },
): Promise<void> {
  await deps.notifier?.notify({
    kind: alert.kind,
    severity: alert.severity,
    cluster: deps.config.clusterName,
    nodeGroup: target.nodeGroup.name,
    title: alert.title,
    details: { instance: target.instanceId, autoScalingGroup: target.asgName, reason: alert.reason },
    dedupeKey: `${alert.kind}:${target.instanceId}${alert.dedupeSuffix ? `:${alert.dedupeSuffix}` : ''}`,
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
