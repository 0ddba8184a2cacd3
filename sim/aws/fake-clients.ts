/**
 * In-memory AWS clients for the production handlers: `send(command)` dispatches on `command.constructor.name` and
 * `command.input`, answers from the simulated state with AWS's response shapes, costs virtual latency, and applies
 * the account's throttling token buckets (sim/aws/api-buckets.ts: shared per account and Region, across clients)
 * with the SDK's retry mode in front: the JS SDK v3 standard mode by default (3 attempts, exponential backoff with
 * full jitter, https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html) or boto3's legacy mode
 * for the Python reference functions. Every request that reaches AWS (each attempt) can be recorded for the IAM
 * contract. Unknown commands throw loudly.
 */
import type { Simulation } from '../clock';
import type { Rng } from '../rng';
import type { Timings } from '../timings';
import { bucketSelector, type BucketSelector } from './api-buckets';
import { ServiceName, throttlingError } from './errors';
import { currentInvocation, InvocationContext } from './lambda';
import { TokenBucket } from './throttle';

export type Operation = (input: Record<string, unknown>) => unknown;

/** One request as AWS sees it: who called (the function's name, or `aws` outside an invocation), what, with what. */
export interface RecordedAwsCall {
  readonly service: ServiceName;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly source: string;
}

/** What the fake clients need from the world (a narrow view of sim/world.ts's World). */
export interface FakeClientContext {
  readonly sim: Simulation;
  readonly timings: Timings;
  readonly rng: { readonly api: Rng };
  readonly faults: {
    latencyFactor(now: number): number;
    readonly lambdaCrashProbabilityPerCall: number;
    throttleBurstActive(now: number, service: ServiceName): boolean;
  };
  readonly metrics: {
    apiCall(service: string, operation: string, source: string): void;
    throttled(service: string, operation: string, source: string): void;
    unsupportedCommand(name: string): void;
  };
  /** Called for every request that reaches AWS (the IAM contract test records them). */
  readonly onAwsCall?: (call: RecordedAwsCall) => void;
}

/** How a client retries throttled requests. */
export interface RetryModel {
  readonly name: string;
  maxAttempts(t: Timings): number;
  /** Seconds to wait before attempt `attempt + 1` after a throttled attempt `attempt` (1-based). */
  throttleDelay(attempt: number, t: Timings, rng: Rng): number;
}

/** JS SDK v3 standard mode: full jitter on min(20 s, 0.5 s × 2^(attempt−1)). */
export const JS_SDK_STANDARD: RetryModel = {
  name: 'js-sdk-v3-standard',
  maxAttempts: (t) => t.sdkMaxAttempts,
  throttleDelay: (attempt, t, rng) =>
    rng.uniform(0, Math.min(t.sdkMaxBackoffSeconds, t.sdkThrottlingBaseDelaySeconds * 2 ** (attempt - 1))),
};

/** boto3 legacy mode (botocore's default policy): rand(0, 1) × 2^(attempt−1) s, 5 attempts. */
export const BOTO3_LEGACY: RetryModel = {
  name: 'boto3-legacy',
  maxAttempts: (t) => t.boto3LegacyMaxAttempts,
  throttleDelay: (attempt, _t, rng) => rng.next() * 2 ** (attempt - 1),
};

export class UnsupportedCommandError extends Error {
  constructor(service: ServiceName, command: string) {
    super(`[sim] ${service}.${command} is not simulated: add it to sim/aws/*-api.ts`);
    this.name = 'UnsupportedCommandError';
  }
}

/** Throttling buckets are the account's: every client of one simulation draws from the same ones. */
const accountBuckets = new WeakMap<Simulation, Map<string, TokenBucket>>();

export class FakeAwsClient {
  private readonly selectBucket: BucketSelector;

  constructor(
    private readonly world: FakeClientContext,
    readonly service: ServiceName,
    private readonly operations: Record<string, Operation>,
    private readonly retry: RetryModel = JS_SDK_STANDARD,
  ) {
    this.selectBucket = bucketSelector(service, world.timings);
  }

  private bucket(operation: string, input: Record<string, unknown>): TokenBucket {
    const { key, spec } = this.selectBucket(operation, input);
    let buckets = accountBuckets.get(this.world.sim);
    if (!buckets) {
      buckets = new Map();
      accountBuckets.set(this.world.sim, buckets);
    }
    const id = `${this.service}/${key}`;
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket(spec);
      buckets.set(id, bucket);
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

  // The SDK's `send` is generic over every command; callers narrow the answer themselves.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async send(command: any): Promise<any> {
    const name: string = command?.constructor?.name ?? 'UnknownCommand';
    const operation = name.replace(/Command$/, '');
    const impl = this.operations[operation];
    if (!impl) {
      this.world.metrics.unsupportedCommand(`${this.service}.${name}`);
      throw new UnsupportedCommandError(this.service, name);
    }
    const input = (command.input ?? {}) as Record<string, unknown>;
    const context = currentInvocation();
    const source = context?.fn.name ?? 'aws';
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
      world.metrics.apiCall(this.service, operation, source);
      world.onAwsCall?.({ service: this.service, operation, input, source });
      const bucket = this.bucket(operation, input);
      if (world.faults.throttleBurstActive(world.sim.now, this.service)) bucket.drain(world.sim.now);
      if (!bucket.take(world.sim.now)) {
        world.metrics.throttled(this.service, operation, source);
        await this.wait(context, latency / 2);
        if (attempt >= this.retry.maxAttempts(t)) throw throttlingError(this.service, attempt);
        await this.wait(context, this.retry.throttleDelay(attempt, t, rng));
        continue;
      }
      let result: unknown;
      let failure: unknown;
      try {
        result = structuredClone(impl(input));
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
