/**
 * Simulated Lambda, asynchronous invocation (EventBridge and SNS invoke functions asynchronously). What AWS documents
 * ("How Lambda handles errors and retries with asynchronous invocation",
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html):
 * - a function error (thrown error, timeout, runtime crash) is retried twice by default, "with a one-minute wait
 *   between the first two attempts, and two minutes between the second and third attempts" (MaximumRetryAttempts
 *   0–2 on the function's event invoke config);
 * - a throttled event (no concurrency left: 429) "returns to the queue" and is retried "for up to 6 hours by
 *   default"; "the retry interval increases exponentially from 1 second after the first attempt to a maximum of
 *   5 minutes" — throttles do not use up the function-error retries;
 * - an event older than MaximumEventAgeInSeconds (60–21600, default 21600) is discarded (to the DLQ / on-failure
 *   destination), whether it waits for a throttle retry or an error retry.
 * Not modelled (not quantified by AWS): "If the queue contains many entries, Lambda increases the retry interval and
 * reduces the rate at which it reads events from the queue", and the queue's own duplicates.
 * Also: duration = start-up (+ cold start for a new execution environment) + the handler's virtual time (its AWS
 * calls) + compute, billed in GB-seconds; the timeout ends the invocation wherever it is; concurrency is capped
 * (reserved concurrency). Execution environments are reused, so module and closure state survives between
 * invocations as in production.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Simulation } from '../clock';
import type { Rng } from '../rng';
import type { Timings } from '../timings';
import type { BusEvent } from './eventbridge';

export interface InvocationContext {
  readonly fn: SimLambda;
  readonly startedAt: number;
  dead: boolean;
  apiCalls: number;
  /** Python-style `context.get_remaining_time_in_millis()` for the reference strategies. */
  remainingMs(): number;
  /** Node.js Lambda's `context.getRemainingTimeInMillis()`. */
  getRemainingTimeInMillis(): number;
}

export type Handler = (event: BusEvent, context: InvocationContext) => Promise<unknown>;

export const invocations = new AsyncLocalStorage<InvocationContext>();

export function currentInvocation(): InvocationContext | undefined {
  return invocations.getStore();
}

export interface LambdaOptions {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency (or the account's unreserved concurrency for a function without a reservation). */
  readonly maxConcurrency: number;
  /** Waits before the function-error retries; its length is MaximumRetryAttempts (AWS default [60, 120]). */
  readonly retryDelaysSeconds: readonly number[];
  /** MaximumEventAgeInSeconds of the event invoke config (AWS default 21600; timings.lambdaMaximumEventAgeSeconds). */
  readonly maximumEventAgeSeconds?: number;
}

/** What the simulated Lambda service needs from the world: clock, its random stream, timings, and metrics. */
export interface LambdaContext {
  readonly sim: Simulation;
  readonly rng: { readonly lambda: Rng };
  readonly timings: Timings;
  readonly metrics: {
    lambdaInvocation(fn: string, seconds: number, memoryMb: number, outcome: string, error?: unknown): void;
    lambdaThrottled(fn: string): void;
    lambdaEventExpired(fn: string): void;
  };
}

interface Environment {
  readonly handler: Handler;
  busy: boolean;
}

/** An event in the function's asynchronous queue. */
interface QueuedEvent {
  readonly event: BusEvent;
  readonly enqueuedAt: number;
  /** Function-error retries used so far. */
  errorRetries: number;
  /** Throttle retries so far (the backoff doubles with each). */
  throttles: number;
  /** Set for a synchronous invocation (an event source mapping): called once with the outcome, no async retries. */
  readonly sync?: (outcome: InvocationOutcome, result?: unknown) => void;
}

export type InvocationOutcome = 'ok' | 'error' | 'timeout' | 'crash';

/** The wait before throttle retry n (n ≥ 1): 1 s, doubling, at most 5 min ("from 1 second … to 5 minutes"). */
export function throttleRetryDelaySeconds(n: number, timings: Pick<Timings, 'lambdaThrottleRetryMaxSeconds'>): number {
  return Math.min(timings.lambdaThrottleRetryMaxSeconds, 2 ** Math.max(0, n - 1));
}

export class SimLambda {
  private readonly environments: Environment[] = [];
  private running = 0;
  /** Events discarded because they outlived MaximumEventAgeInSeconds (they would go to the DLQ). */
  expired = 0;
  /** Invocations throttled for lack of concurrency (each went back to the queue or expired). */
  throttled = 0;

  constructor(
    private readonly world: LambdaContext,
    readonly name: string,
    private readonly makeHandler: () => Handler,
    readonly options: LambdaOptions,
  ) {}

  private get maximumEventAgeSeconds(): number {
    return this.options.maximumEventAgeSeconds ?? this.world.timings.lambdaMaximumEventAgeSeconds;
  }

  /** Asynchronous Invoke: Lambda queues the event and answers 202 (EventBridge's delivery succeeded). */
  invoke(event: BusEvent): boolean {
    this.attempt({ event, enqueuedAt: this.world.sim.now, errorRetries: 0, throttles: 0 });
    return true;
  }

  /**
   * Synchronous Invoke by an event source mapping (sim/aws/sqs.ts): false when no concurrency is left (throttled; the
   * mapping backs off), else `done` is called once with the outcome and the handler's response.
   */
  invokeSync(payload: unknown, done: (outcome: InvocationOutcome, result?: unknown) => void): boolean {
    if (this.running >= this.options.maxConcurrency) {
      this.throttled++;
      this.world.metrics.lambdaThrottled(this.name);
      return false;
    }
    this.attempt({
      event: payload as BusEvent,
      enqueuedAt: this.world.sim.now,
      errorRetries: 0,
      throttles: 0,
      sync: done,
    });
    return true;
  }

  private attempt(queued: QueuedEvent): void {
    const world = this.world;
    if (world.sim.now - queued.enqueuedAt > this.maximumEventAgeSeconds) {
      this.expired++;
      world.metrics.lambdaEventExpired(this.name);
      return;
    }
    if (this.running >= this.options.maxConcurrency) {
      this.throttled++;
      world.metrics.lambdaThrottled(this.name);
      queued.throttles++;
      world.sim.after(throttleRetryDelaySeconds(queued.throttles, world.timings), () => this.attempt(queued));
      return;
    }
    this.running++;
    let env = this.environments.find((e) => !e.busy);
    const t = world.timings;
    let startup = world.rng.lambda.lognormal(
      t.lambdaStartup.median,
      t.lambdaStartup.sigma,
      t.lambdaStartup.min,
      t.lambdaStartup.max,
    );
    if (!env) {
      env = { handler: this.makeHandler(), busy: false };
      this.environments.push(env);
      startup += t.lambdaColdStartSeconds;
    }
    env.busy = true;
    const environment = env;
    world.sim.after(startup, () => this.run(environment, queued));
  }

  private run(env: Environment, queued: QueuedEvent): void {
    const world = this.world;
    const startedAt = world.sim.now;
    const timeout = this.options.timeoutSeconds;
    let finished = false;
    const context: InvocationContext = {
      fn: this,
      startedAt,
      dead: false,
      apiCalls: 0,
      remainingMs: () => Math.max(0, (startedAt + timeout - world.sim.now) * 1000),
      getRemainingTimeInMillis: () => Math.max(0, (startedAt + timeout - world.sim.now) * 1000),
    };
    const finish = (outcome: InvocationOutcome, error?: unknown, result?: unknown): void => {
      if (finished) return;
      finished = true;
      context.dead = true;
      env.busy = false;
      this.running--;
      const t = world.timings;
      const seconds = Math.min(
        timeout,
        world.sim.now - startedAt + t.lambdaComputeSeconds + t.lambdaComputePerCallSeconds * context.apiCalls,
      );
      world.metrics.lambdaInvocation(this.name, seconds, this.options.memoryMb, outcome, error);
      if (queued.sync) {
        queued.sync(outcome, result);
        return;
      }
      const delays = this.options.retryDelaysSeconds;
      if (outcome !== 'ok' && queued.errorRetries < delays.length) {
        const delay = delays[queued.errorRetries];
        queued.errorRetries++;
        world.sim.after(delay, () => this.attempt(queued));
      }
    };
    world.sim.after(timeout, () => finish('timeout'));
    this.killSwitch.set(context, () => finish('crash'));
    world.sim.spawn(() =>
      invocations.run(context, () =>
        env.handler(queued.event, context).then(
          (result) => finish('ok', undefined, result),
          (error: unknown) => finish('error', error),
        ),
      ),
    );
  }

  private readonly killSwitch = new WeakMap<InvocationContext, () => void>();

  /** Fault injection: the runtime dies mid-invocation (its AWS calls so far took effect). */
  crash(context: InvocationContext): void {
    this.killSwitch.get(context)?.();
  }
}
