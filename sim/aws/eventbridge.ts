/**
 * Simulated EventBridge default bus: AWS service events matched against rules and delivered to targets after a
 * latency (assumption: AWS publishes none); at-least-once (rare duplicates), and best effort for service events —
 * "in some rare cases an event might not be delivered" ("Delivery level for AWS service events",
 * https://docs.aws.amazon.com/eventbridge/latest/ref/event-delivery-level.html). Order is not guaranteed. Schedule
 * rules fire at a fixed rate ("rate(1 minute)").
 *
 * Target retries ("How EventBridge retries delivering events",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html): when a delivery fails with a
 * retriable error, EventBridge retries with "an exponential back off and jitter" until the target's RetryPolicy
 * runs out (MaximumRetryAttempts, default 185; MaximumEventAgeInSeconds, default 86400), then drops the event (to
 * the target's DLQ). A Lambda target is invoked asynchronously: Invoke answers 202 once Lambda queued the event, so
 * concurrency throttling is retried by Lambda's own queue (sim/aws/lambda.ts), not by EventBridge.
 */
import type { Simulation } from '../clock';
import { matchesEventPattern, type EventPattern } from './event-pattern';
import type { Rng } from '../rng';
import type { Timings } from '../timings';

export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

/** A target's RetryPolicy (what `aws_cloudwatch_event_target.retry_policy` sets). */
export interface TargetRetryPolicy {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
}

export interface Rule {
  readonly name: string;
  /** The deployed rule's event pattern, evaluated as EventBridge does (sim/aws/event-pattern.ts). */
  readonly pattern?: EventPattern;
  /** A hand-written predicate instead (the reference strategies' rules). */
  readonly matches?: (event: BusEvent) => boolean;
  /** Delivers the event; `false` means the delivery failed with a retriable error (EventBridge retries it). */
  readonly target: (event: BusEvent) => boolean | void;
  /** The target's retry policy; EventBridge's defaults when absent. */
  readonly retryPolicy?: TargetRetryPolicy;
}

/** What the bus needs from the world (a narrow view of sim/world.ts's World). */
export interface BusContext {
  readonly sim: Simulation;
  readonly account: string;
  readonly region: string;
  readonly timings: Timings;
  readonly rng: { readonly bus: Rng };
  readonly faults: {
    readonly eventLossProbability: number;
    readonly eventDuplicateProbability: number;
    readonly eventLateProbability: number;
    readonly eventLateMaxSeconds: number;
    readonly eventTargetFailureProbability: number;
  };
  readonly metrics: { eventDeliveryRetried(rule: string): void; eventDropped(rule: string): void };
}

/** Upper bound of one EventBridge retry wait (assumption: AWS documents the backoff, not its cap). */
export const EVENTBRIDGE_RETRY_CAP_SECONDS = 900;

/** Full-jitter exponential backoff before retry `n` (1-based): uniform(0, min(cap, base × 2^(n−1))). */
export function eventBridgeRetryDelaySeconds(n: number, baseSeconds: number, rng: Rng): number {
  return rng.uniform(0, Math.min(EVENTBRIDGE_RETRY_CAP_SECONDS, baseSeconds * 2 ** (n - 1)));
}

export class EventBus {
  private readonly rules: Rule[] = [];
  private counter = 0;
  published = 0;
  delivered = 0;
  lost = 0;
  duplicated = 0;

  constructor(private readonly world: BusContext) {}

  addRule(rule: Rule): void {
    this.rules.push(rule);
  }

  private envelope(
    detailType: string,
    source: string,
    resources: string[],
    detail: Record<string, unknown>,
    counter = ++this.counter,
  ): BusEvent {
    const hex = counter.toString(16).padStart(12, '0');
    return {
      version: '0',
      id: `00000000-0000-4000-8000-${hex}`,
      'detail-type': detailType,
      source,
      account: this.world.account,
      time: this.world.sim.date(Math.floor(this.world.sim.now)).toISOString().replace('.000Z', 'Z'),
      region: this.world.region,
      resources,
      detail,
    };
  }

  publish(
    detailType: string,
    source: string,
    resources: string[],
    detail: Record<string, unknown>,
    latency = this.world.timings.eventBridgeDelivery,
  ): void {
    // The whole event as the rules see it (its id is taken only when a rule matches).
    const candidate = this.envelope(detailType, source, resources, detail, this.counter + 1);
    const matching = this.rules.filter((rule) =>
      rule.pattern !== undefined ? matchesEventPattern(rule.pattern, candidate) : (rule.matches?.(candidate) ?? false),
    );
    if (matching.length === 0) return;
    this.counter++;
    const event = candidate;
    this.published++;
    const faults = this.world.faults;
    const rng = this.world.rng.bus;
    const t = latency;
    for (const rule of matching) {
      if (rng.chance(faults.eventLossProbability)) {
        this.lost++;
        continue;
      }
      const copies = rng.chance(faults.eventDuplicateProbability) ? 2 : 1;
      if (copies === 2) this.duplicated++;
      for (let copy = 0; copy < copies; copy++) {
        let delay = rng.lognormal(t.median, t.sigma, t.min, t.max);
        if (rng.chance(faults.eventLateProbability)) delay += rng.uniform(30, faults.eventLateMaxSeconds);
        this.world.sim.after(delay, () => this.deliver(rule, event, this.world.sim.now, 0));
      }
    }
  }

  /** One delivery attempt; a retriable failure is retried per the target's retry policy, then dropped. */
  private deliver(rule: Rule, event: BusEvent, firstAttemptAt: number, retries: number): void {
    const world = this.world;
    const failed = world.rng.bus.chance(world.faults.eventTargetFailureProbability) || rule.target(event) === false;
    if (!failed) {
      this.delivered++;
      return;
    }
    const policy = rule.retryPolicy ?? {
      maximumRetryAttempts: world.timings.eventBridgeMaximumRetryAttempts,
      maximumEventAgeSeconds: world.timings.eventBridgeMaximumEventAgeSeconds,
    };
    const delay = eventBridgeRetryDelaySeconds(retries + 1, world.timings.eventBridgeRetryBaseSeconds, world.rng.bus);
    const age = world.sim.now + delay - firstAttemptAt;
    if (retries >= policy.maximumRetryAttempts || age > policy.maximumEventAgeSeconds) {
      world.metrics.eventDropped(rule.name);
      return;
    }
    world.metrics.eventDeliveryRetried(rule.name);
    world.sim.after(delay, () => this.deliver(rule, event, firstAttemptAt, retries + 1));
  }

  /** Schedule rule (source aws.events, detail-type "Scheduled Event"). */
  schedule(name: string, periodSeconds: number, target: (event: BusEvent) => boolean | void): void {
    const ruleArn = `arn:aws:events:${this.world.region}:${this.world.account}:rule/${name}`;
    const phase = this.world.rng.bus.uniform(0, periodSeconds);
    this.world.sim.every(periodSeconds, phase, () => {
      target(this.envelope('Scheduled Event', 'aws.events', [ruleArn], {}));
    });
  }

  /** CloudTrail "AWS API Call via CloudTrail" events reach EventBridge minutes after the call (ECM's continuations). */
  publishCloudTrail(eventName: string, eventSource: string, requestParameters: Record<string, unknown>): void {
    const source = eventSource.startsWith('autoscaling') ? 'aws.autoscaling' : 'aws.ecs';
    const detail = { eventSource, eventName, requestParameters };
    this.publish('AWS API Call via CloudTrail', source, [], detail, this.world.timings.cloudTrailDelivery);
  }
}
