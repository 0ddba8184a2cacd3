/**
 * Simulated Lambda, asynchronous invocation (EventBridge and SNS targets invoke functions asynchronously):
 * - duration = start-up (+ cold start for a new execution environment) + the handler's virtual time (its AWS calls)
 *   + compute; billed in GB-seconds at the configured memory;
 * - timeout ends the invocation wherever it is; a function error (thrown error, timeout, crash) is retried twice,
 *   1 min then 2 min later (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html);
 * - concurrency is capped; throttled events wait in the async queue and are retried.
 * Execution environments are reused, so module and closure state survives between invocations as in production.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { World } from '../world';
import type { BusEvent } from './eventbridge';

export interface InvocationContext {
  readonly fn: SimLambda;
  readonly startedAt: number;
  dead: boolean;
  apiCalls: number;
  /** Python-style `context.get_remaining_time_in_millis()` for the reference strategies. */
  remainingMs(): number;
}

export type Handler = (event: BusEvent, context: InvocationContext) => Promise<unknown>;

export const invocations = new AsyncLocalStorage<InvocationContext>();

export function currentInvocation(): InvocationContext | undefined {
  return invocations.getStore();
}

export interface LambdaOptions {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly maxConcurrency: number;
  readonly retryDelaysSeconds: readonly number[];
}

interface Environment {
  readonly handler: Handler;
  busy: boolean;
}

export class SimLambda {
  private readonly environments: Environment[] = [];
  private running = 0;

  constructor(
    private readonly world: World,
    readonly name: string,
    private readonly makeHandler: () => Handler,
    readonly options: LambdaOptions,
  ) {}

  invoke(event: BusEvent, attempt = 0): void {
    if (this.running >= this.options.maxConcurrency) {
      this.world.metrics.lambdaThrottled(this.name);
      this.world.sim.after(this.world.rng.lambda.uniform(1, 5), () => this.invoke(event, attempt));
      return;
    }
    this.running++;
    let env = this.environments.find((e) => !e.busy);
    const t = this.world.timings;
    let startup = this.world.rng.lambda.lognormal(
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
    this.world.sim.after(startup, () => this.run(environment, event, attempt));
  }

  private run(env: Environment, event: BusEvent, attempt: number): void {
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
    };
    const finish = (outcome: 'ok' | 'error' | 'timeout' | 'crash', error?: unknown): void => {
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
      if (outcome !== 'ok' && attempt < this.options.retryDelaysSeconds.length) {
        world.sim.after(this.options.retryDelaysSeconds[attempt], () => this.invoke(event, attempt + 1));
      }
    };
    world.sim.after(timeout, () => finish('timeout'));
    this.killSwitch.set(context, () => finish('crash'));
    world.sim.spawn(() =>
      invocations.run(context, () =>
        env.handler(event, context).then(
          () => finish('ok'),
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
