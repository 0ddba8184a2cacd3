/**
 * The shared thin handler: unpack the invocation (a batch from the gate's SQS buffer, or one EventBridge event), route
 * every event, resolve the instances to check together, run the gate once over all of them within the invocation's
 * time, summarise. Foreign events are ignored (logged); throttling ends the run as "retry later"; an instance whose
 * check failed sends its messages back to the queue (partial batch response), and a direct invocation rethrows.
 */
import { RetryLaterError, errorMessage, errorName } from '../shared/aws-errors';
import { InstanceCheck, RoutedTrigger, resolveChecks } from './checks';
import { GateDeps } from './deps';
import { GateKind, eventsOf, routeEvent } from './events';
import { GateOutcome } from './outcome';
import { RunBudget, UNBOUNDED } from './run-budget';
import { GateWarmCache } from './warm-cache';

export interface GateResult {
  /** Trigger kinds of the invocation's events, in order (lifecycle, instance, sweep, ignore). */
  readonly triggers: readonly string[];
  /** Why events were ignored (foreign, unknown, or an ECS event that is no news). */
  readonly ignored: readonly string[];
  /** At least one check was throttled or deferred: the next event or sweep re-checks. */
  readonly retryLater: boolean;
  readonly outcomes: readonly GateOutcome[];
  /** SQS partial batch response: the messages to deliver again (their instance's check failed). */
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

export type GateRunner = (
  checks: readonly InstanceCheck[],
  deps: GateDeps,
  cache: GateWarmCache,
  budget: RunBudget,
) => Promise<GateOutcome[]>;

/** The part of Lambda's context object the gates use. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?(): number;
}

export type GateHandler = (invocation: unknown, context?: LambdaContextLike) => Promise<GateResult>;

export function createGateHandler(gate: GateKind, deps: GateDeps, run: GateRunner): GateHandler {
  // Per handler = per Lambda execution environment: hints that save calls (see warm-cache.ts), never decisions.
  const cache = new GateWarmCache();
  return async (invocation, context) => {
    const delivered = eventsOf(invocation);
    const batched = delivered.some((item) => item.messageId !== undefined);
    const routed: RoutedTrigger[] = delivered.map((item) => ({
      trigger: routeEvent(item.event, deps.config, gate),
      messageId: item.messageId,
    }));
    const ignored: string[] = [];
    for (const { trigger } of routed) {
      if (trigger.kind !== 'ignore') continue;
      ignored.push(trigger.reason);
      // Foreign or malformed events are worth a line; ECS's routine placement events are not.
      deps.logger[trigger.routine ? 'debug' : 'info']('event ignored', { gate, reason: trigger.reason });
    }
    const triggers = routed.map((item) => item.trigger.kind);
    const budget: RunBudget = context?.getRemainingTimeInMillis
      ? { remainingMs: () => context.getRemainingTimeInMillis!() }
      : UNBOUNDED;
    const summary = { triggers, ignored };
    try {
      const resolved = await resolveChecks(routed, deps, gate, cache);
      for (const reason of resolved.skipped) deps.logger.debug('nothing to check', { gate, reason });
      for (const asgName of resolved.warmPoolGroups) {
        deps.logger.warn('warm pool found: not supported', { gate, asgName, fix: 'delete the warm pool of the group' });
      }
      const outcomes = resolved.checks.length > 0 ? await run(resolved.checks, deps, cache, budget) : [];
      if (triggers.includes('sweep')) deps.logger.info('sweep done', { gate, instances: outcomes.length });
      const errors = outcomes.filter((o) => o.decision === 'ERROR');
      const failed = new Set(errors.map((o) => o.instanceId));
      const failedMessages = resolved.checks.filter((c) => failed.has(c.instanceId)).flatMap((c) => c.messageIds);
      if (errors.length > 0 && !batched) {
        // A direct (asynchronous) invocation: let Lambda's retry and DLQ see the failure.
        const what = errors.map((o) => `${o.instanceId}: ${o.reason}`).join('; ');
        throw new Error(`${gate} gate failed for ${errors.length} of ${outcomes.length} instance(s): ${what}`);
      }
      return {
        ...summary,
        retryLater: outcomes.some((o) => o.decision === 'RETRY_LATER' || o.decision === 'DEFERRED'),
        outcomes,
        batchItemFailures: [...new Set(failedMessages)].map((itemIdentifier) => ({ itemIdentifier })),
      };
    } catch (error) {
      if (error instanceof RetryLaterError) {
        // Observed state could not be read: decide nothing now, the next trigger (or sweep) re-checks.
        deps.logger.warn('throttled: retry on the next trigger', {
          gate,
          triggers,
          operation: error.operation,
          error: errorName(error.cause),
        });
        return { ...summary, retryLater: true, outcomes: [], batchItemFailures: [] };
      }
      deps.logger.error('gate run failed', { gate, triggers, error: errorMessage(error) });
      if (!batched) throw error;
      const all = delivered.flatMap((item) =>
        item.messageId === undefined ? [] : [{ itemIdentifier: item.messageId }],
      );
      return { ...summary, retryLater: false, outcomes: [], batchItemFailures: all };
    }
  };
}
