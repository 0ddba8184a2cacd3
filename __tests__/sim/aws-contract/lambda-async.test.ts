/**
 * Simulated Lambda asynchronous invocation against "How Lambda handles errors and retries with asynchronous
 * invocation" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html) and "Configuring
 * error handling for Lambda asynchronous invocation" (…/invocation-async-configuring.html). One test per row of
 * docs/aws-contract.md, "Lambda — asynchronous invocation, retries, concurrency".
 */
import { SimLambda, throttleRetryDelaySeconds, type Handler } from '../../../sim/aws/lambda';
import type { BusEvent } from '../../../sim/aws/eventbridge';
import { TIMINGS } from '../../../sim/timings';
import { World } from '../../../sim/world';

const EVENT = { version: '0', id: 'e-1', 'detail-type': 'Test', source: 'test', detail: {} } as unknown as BusEvent;

/** A world with no cluster activity: only the function under test schedules anything. */
function quietWorld(): World {
  return new World({ seed: 3, shape: { instances: 0 } });
}

/** Runs the simulation until `seconds` and returns the virtual times at which the handler started. */
async function startsOf(world: World, fn: SimLambda, seconds: number, events = 1): Promise<number[]> {
  for (let i = 0; i < events; i++) fn.invoke(EVENT);
  await world.sim.run(seconds);
  return starts.get(fn) ?? [];
}

const starts = new WeakMap<SimLambda, number[]>();

function lambda(world: World, body: (world: World) => Promise<void>, options: Partial<SimLambda['options']> = {}) {
  const fn: SimLambda = new SimLambda(
    world,
    'fn',
    (): Handler => async () => {
      starts.set(fn, [...(starts.get(fn) ?? []), world.sim.now]);
      await body(world);
    },
    { memoryMb: 128, timeoutSeconds: 60, maxConcurrency: 10, retryDelaysSeconds: [60, 120], ...options },
  );
  return fn;
}

describe('Lambda asynchronous invocation', () => {
  it('retries a function error twice, one minute and then two minutes later, and then gives up', async () => {
    // GIVEN a function that always throws
    const world = quietWorld();
    const fn = lambda(world, async () => {
      throw new Error('boom');
    });
    // WHEN one event is invoked asynchronously
    const at = await startsOf(world, fn, 3600);
    // THEN it ran three times: at once, ≈ 60 s later and ≈ 120 s after that (start-up adds well under a second)
    expect(at).toHaveLength(3);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(60);
    expect(at[1] - at[0]).toBeLessThan(62);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(120);
    expect(at[2] - at[1]).toBeLessThan(122);
    expect(world.metrics.lambdaInvocations).toBe(3);
  });

  it('counts a timeout as a function error and retries it', async () => {
    // GIVEN a function that outlives its 5 s timeout
    const world = quietWorld();
    const fn = lambda(world, (w) => w.sim.sleep(30), { timeoutSeconds: 5 });
    // WHEN invoked
    const at = await startsOf(world, fn, 3600);
    // THEN the timeout is retried like any function error
    expect(at).toHaveLength(3);
    expect(world.metrics.lambdaTimeouts).toBe(3);
  });

  it('retries a throttled event from 1 s, doubling up to 5 minutes, without using up the error retries', () => {
    // GIVEN AWS's description: "from 1 second after the first attempt to a maximum of 5 minutes"
    const delays = Array.from({ length: 12 }, (_, i) => throttleRetryDelaySeconds(i + 1, TIMINGS));
    // THEN the waits are 1, 2, 4 … 256 s and then 300 s
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
  });

  it('holds throttled events in the queue and runs them when concurrency frees up', async () => {
    // reserved concurrency 1
    // GIVEN reserved concurrency 1 and a function busy for 10 s
    const world = quietWorld();
    const fn = lambda(world, (w) => w.sim.sleep(10), { maxConcurrency: 1 });
    // WHEN three events arrive at once
    const at = await startsOf(world, fn, 600, 3);
    // THEN they run one at a time, none is lost, and the two waiting ones were throttled and retried
    expect(at).toHaveLength(3);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(10);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(10);
    expect(fn.throttled).toBeGreaterThanOrEqual(2);
    expect(world.metrics.lambdaInvocations).toBe(3);
  });

  it('discards an event older than MaximumEventAgeInSeconds (to the DLQ) while it waits for concurrency', async () => {
    // GIVEN reserved concurrency 1, a 200 s invocation in progress, and a maximum event age of 60 s
    const world = quietWorld();
    const fn = lambda(world, (w) => w.sim.sleep(200), {
      maxConcurrency: 1,
      timeoutSeconds: 900,
      maximumEventAgeSeconds: 60,
    });
    // WHEN a second event arrives behind the first
    const at = await startsOf(world, fn, 1200, 2);
    // THEN only the first ran; the second expired in the queue after about a minute of throttle retries
    expect(at).toHaveLength(1);
    expect(fn.expired).toBe(1);
    expect(world.metrics.lambdaEventsExpired).toBe(1);
  });

  it("defaults the maximum event age to AWS's 6 hours and concurrency to the account's 1,000", () => {
    expect(TIMINGS.lambdaMaximumEventAgeSeconds).toBe(6 * 3600);
    expect(TIMINGS.lambdaRetryDelaysSeconds).toEqual([60, 120]);
    // A function without reserved concurrency shares the account's default quota of 1,000.
    expect(TIMINGS.lambdaMaxConcurrency).toBe(1000);
  });
});
