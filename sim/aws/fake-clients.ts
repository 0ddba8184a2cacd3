/**
 * In-memory AWS clients for the production handlers: `send(command)` dispatches on `command.constructor.name` and
 * `command.input`, answers from the simulated state with AWS's response shapes, costs virtual latency, and applies
 * per-action token buckets with the SDK's standard retry mode in front (3 attempts, exponential backoff with full
 * jitter; https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). Unknown commands throw loudly.
 */
import type { World } from '../world';
import type { BucketSpec } from '../timings';
import { ServiceName, throttlingError } from './errors';
import { currentInvocation, InvocationContext } from './lambda';
import { TokenBucket } from './throttle';

export type Operation = (input: Record<string, unknown>) => unknown;

export class UnsupportedCommandError extends Error {
  constructor(service: ServiceName, command: string) {
    super(`[sim] ${service}.${command} is not simulated: add it to sim/aws/*-api.ts`);
    this.name = 'UnsupportedCommandError';
  }
}

export class FakeAwsClient {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly world: World,
    readonly service: ServiceName,
    private readonly operations: Record<string, Operation>,
    /** Token bucket of an operation: a category key (buckets are shared within it) and its spec. */
    private readonly bucketSpec: (operation: string) => { key: string; spec: BucketSpec },
  ) {}

  private bucket(operation: string): TokenBucket {
    const { key, spec } = this.bucketSpec(operation);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(spec);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Waits virtual time; a dead (timed-out, crashed) invocation never wakes up again. */
  private wait(context: InvocationContext | undefined, seconds: number): Promise<void> {
    return new Promise((resolve) =>
      this.world.sim.after(seconds, () => {
        if (!context?.dead) this.world.sim.resume(resolve);
      }),
    );
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SendClient seam (lambdas/shared/aws-client.ts)
  async send(command: any): Promise<any> {
    const name: string = command?.constructor?.name ?? 'UnknownCommand';
    const operation = name.replace(/Command$/, '');
    const impl = this.operations[operation];
    if (!impl) {
      this.world.metrics.unsupportedCommand(`${this.service}.${name}`);
      throw new UnsupportedCommandError(this.service, name);
    }
    const context = currentInvocation();
    const world = this.world;
    const t = world.timings;
    const rng = world.rng.api;
    for (let attempt = 1; ; attempt++) {
      const latency =
        rng.lognormal(t.apiLatency.median, t.apiLatency.sigma, t.apiLatency.min, t.apiLatency.max) *
        world.faults.latencyFactor(world.sim.now);
      await this.wait(context, latency / 2);
      if (context && rng.chance(world.faults.lambdaCrashProbabilityPerCall)) {
        context.fn.crash(context);
        await new Promise(() => undefined);
      }
      if (context) context.apiCalls++;
      world.metrics.apiCall(this.service, operation, context?.fn.name ?? 'aws');
      const bucket = this.bucket(operation);
      if (world.faults.throttleBurstActive(world.sim.now, this.service)) bucket.drain(world.sim.now);
      if (!bucket.take(world.sim.now)) {
        world.metrics.throttled(this.service, operation, context?.fn.name ?? 'aws');
        await this.wait(context, latency / 2);
        if (attempt >= t.sdkMaxAttempts) throw throttlingError(this.service, attempt);
        const base = t.sdkThrottlingBaseDelaySeconds;
        await this.wait(context, rng.uniform(0, Math.min(t.sdkMaxBackoffSeconds, base * 2 ** (attempt - 1))));
        continue;
      }
      let result: unknown;
      let failure: unknown;
      try {
        result = structuredClone(impl((command.input ?? {}) as Record<string, unknown>));
      } catch (error) {
        failure = error;
      }
      await this.wait(context, latency / 2);
      if (failure !== undefined) throw failure;
      return {
        $metadata: { httpStatusCode: 200, requestId: `sim-${world.sim.eventsProcessed}`, attempts: attempt },
        ...(result as object),
      };
    }
  }
}
