/**
 * Simulated EventBridge delivery against "How EventBridge retries delivering events"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html) and "Delivery level for AWS
 * service events" (https://docs.aws.amazon.com/eventbridge/latest/ref/event-delivery-level.html). One test per row of
 * docs/aws-contract.md, "EventBridge — delivery, retries, patterns".
 */
import { EventBus, eventBridgeRetryDelaySeconds, type BusEvent } from '../../../sim/aws/eventbridge';
import { SimLambda } from '../../../sim/aws/lambda';
import { NO_FAULTS, type FaultPlan } from '../../../sim/faults';
import { Rng } from '../../../sim/rng';
import { TIMINGS } from '../../../sim/timings';
import { World } from '../../../sim/world';

function world(faults: Partial<FaultPlan> = {}): World {
  return new World({ seed: 5, shape: { instances: 0 }, faults: { ...NO_FAULTS, ...faults } });
}

function rule(bus: EventBus, target: (event: BusEvent) => boolean | void, retryPolicy?: { a: number; age: number }) {
  const deliveries: number[] = [];
  bus.addRule({
    name: 'r',
    matches: (e) => e['detail-type'] === 'Test',
    target: (e) => {
      deliveries.push(0);
      return target(e);
    },
    ...(retryPolicy
      ? { retryPolicy: { maximumRetryAttempts: retryPolicy.a, maximumEventAgeSeconds: retryPolicy.age } }
      : {}),
  });
  return deliveries;
}

describe('EventBridge delivery to rule targets', () => {
  it('retries a failed delivery up to MaximumRetryAttempts and then drops the event (to the DLQ)', async () => {
    // GIVEN a target that always fails and the construct's retry policy (3 attempts, 1 h)
    const w = world();
    const deliveries = rule(w.bus, () => false, { a: 3, age: 3600 });
    // WHEN one event is published
    w.bus.publish('Test', 'test', [], {});
    await w.sim.run(3600);
    // THEN it was tried 1 + 3 times and then dropped
    expect(deliveries).toHaveLength(4);
    expect(w.metrics.eventDeliveryRetries).toBe(3);
    expect(w.metrics.eventsDroppedAfterRetries).toBe(1);
  });

  it('stops retrying once the event is older than MaximumEventAgeInSeconds', async () => {
    // GIVEN a failing target with many attempts allowed but a 60 s maximum event age
    const w = world();
    const deliveries = rule(w.bus, () => false, { a: 185, age: 60 });
    w.bus.publish('Test', 'test', [], {});
    await w.sim.run(7200);
    // THEN retries stopped within the minute, far short of 185 attempts
    expect(deliveries.length).toBeGreaterThan(1);
    expect(deliveries.length).toBeLessThan(20);
    expect(w.metrics.eventsDroppedAfterRetries).toBe(1);
  });

  it("defaults to EventBridge's 185 attempts over 24 hours, with exponential backoff and jitter", () => {
    expect(TIMINGS.eventBridgeMaximumRetryAttempts).toBe(185);
    expect(TIMINGS.eventBridgeMaximumEventAgeSeconds).toBe(86400);
    // Full jitter: each wait is drawn below an exponentially growing bound.
    const rng = new Rng(1);
    for (let n = 1; n <= 10; n++) {
      const delay = eventBridgeRetryDelaySeconds(n, 1, rng);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(2 ** (n - 1));
    }
  });

  it('counts a Lambda target as delivered once Lambda queued the event, even when throttled', async () => {
    // GIVEN a function with reserved concurrency 1 that is busy
    const w = world();
    const fn = new SimLambda(w, 'fn', () => () => w.sim.sleep(30), {
      memoryMb: 128,
      timeoutSeconds: 60,
      maxConcurrency: 1,
      retryDelaysSeconds: [60, 120],
    });
    rule(w.bus, (e) => fn.invoke(e));
    // WHEN three events are published
    for (let i = 0; i < 3; i++) w.bus.publish('Test', 'test', [], {});
    await w.sim.run(600);
    // THEN EventBridge retried nothing (Invoke answered 202); Lambda's queue throttled and later ran every event
    expect(w.metrics.eventDeliveryRetries).toBe(0);
    expect(fn.throttled).toBeGreaterThan(0);
    expect(w.metrics.lambdaInvocations).toBe(3);
  });

  it('delivers best-effort service events: a configured loss rate drops them, duplicates arrive twice', async () => {
    // GIVEN a bus that loses every event, and one that duplicates every event (fault knobs; rates are assumptions)
    const lossy = world({ eventLossProbability: 1 });
    const lost = rule(lossy.bus, () => undefined);
    const doubled = world({ eventDuplicateProbability: 1 });
    const twice = rule(doubled.bus, () => undefined);
    lossy.bus.publish('Test', 'test', [], {});
    doubled.bus.publish('Test', 'test', [], {});
    await lossy.sim.run(60);
    await doubled.sim.run(60);
    // THEN the lost event never arrives and the duplicated one arrives twice
    expect(lost).toHaveLength(0);
    expect(twice).toHaveLength(2);
  });

  it('delivers after a latency drawn from the modelled distribution (assumption)', async () => {
    // median 0.4 s, at most 10 s
    const w = world();
    const at: number[] = [];
    rule(w.bus, () => void at.push(w.sim.now));
    for (let i = 0; i < 200; i++) w.bus.publish('Test', 'test', [], {});
    await w.sim.run(60);
    expect(at).toHaveLength(200);
    const sorted = [...at].sort((a, b) => a - b);
    expect(sorted[100]).toBeGreaterThan(0.2);
    expect(sorted[100]).toBeLessThan(0.8);
    expect(Math.max(...at)).toBeLessThanOrEqual(TIMINGS.eventBridgeDelivery.max);
  });

  it('fires a schedule rule at a fixed rate ("rate(1 minute)"), with a scheduled event naming the rule', async () => {
    const w = world();
    const fired: BusEvent[] = [];
    w.bus.schedule('sweep', 60, (e) => void fired.push(e));
    await w.sim.run(600);
    expect(fired.length).toBeGreaterThanOrEqual(9);
    expect(fired[0]).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      resources: [`arn:aws:events:${w.region}:${w.account}:rule/sweep`],
    });
  });
});
