/**
 * The shared thin handler: route the event, resolve what to check, run the gate, summarise. Foreign events are logged
 * once and ignored; throttling ends the run as "retry later"; other errors are logged and rethrown.
 */
import { RetryLaterError, errorMessage, errorName } from '../shared/aws-errors';
import { GateDeps } from './deps';
import { GateKind, GateTrigger, routeEvent } from './events';
import { GateMemory } from './memory';
import { GateOutcome } from './outcome';
import { GateTarget, resolveTargets } from './targets';

export interface GateResult {
  readonly trigger: GateTrigger['kind'];
  /** Why the event was ignored (foreign / unknown). */
  readonly ignored?: string;
  /** At least one check was throttled: the next event or sweep re-checks. */
  readonly retryLater: boolean;
  readonly outcomes: readonly GateOutcome[];
}

export type GateRunner = (targets: readonly GateTarget[], deps: GateDeps, memory: GateMemory) => Promise<GateOutcome[]>;
export type GateHandler = (event: unknown) => Promise<GateResult>;

export function createGateHandler(gate: GateKind, deps: GateDeps, run: GateRunner): GateHandler {
  // Per handler = per Lambda execution environment: hints that save calls (see memory.ts), never decisions.
  const memory = new GateMemory();
  return async (event) => {
    const trigger = routeEvent(event, deps.config, gate);
    if (trigger.kind === 'ignore') {
      deps.logger.info('event ignored', { gate, reason: trigger.reason });
      return { trigger: trigger.kind, ignored: trigger.reason, retryLater: false, outcomes: [] };
    }
    try {
      const { targets, skipped } = await resolveTargets(trigger, deps, gate);
      if (skipped !== undefined)
        deps.logger.debug('nothing to check', { gate, trigger: trigger.kind, reason: skipped });
      const outcomes = targets.length > 0 ? await run(targets, deps, memory) : [];
      if (trigger.kind === 'sweep') deps.logger.info('sweep done', { gate, instances: outcomes.length });
      return { trigger: trigger.kind, retryLater: outcomes.some((o) => o.decision === 'RETRY_LATER'), outcomes };
    } catch (error) {
      if (error instanceof RetryLaterError) {
        // Observed state could not be read: decide nothing now, the next trigger re-checks.
        deps.logger.warn('throttled: retry on the next trigger', {
          gate,
          trigger: trigger.kind,
          operation: error.operation,
          error: errorName(error.cause),
        });
        return { trigger: trigger.kind, retryLater: true, outcomes: [] };
      }
      deps.logger.error('gate run failed', { gate, trigger: trigger.kind, error: errorMessage(error) });
      throw error;
    }
  };
}

/**
 * `handler` for the Lambda entry files. In Lambda (AWS_LAMBDA_FUNCTION_NAME set) the deps — and so GATE_CONFIG — are
 * built at module load, so a bad config fails the cold start with a message naming the key. Elsewhere (tests, the
 * simulator importing the factory) building is deferred to the first call, so importing never needs the env vars.
 */
export function lazyHandler(build: () => GateHandler): GateHandler {
  let built: GateHandler | undefined = process.env.AWS_LAMBDA_FUNCTION_NAME ? build() : undefined;
  return (event) => {
    built ??= build();
    return built(event);
  };
}
