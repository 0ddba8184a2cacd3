/**
 * Simulated EventBridge default bus: AWS service events matched against rules and delivered to targets after a
 * latency; at-least-once (rare duplicates), and best effort for service events — "in some rare cases an event might
 * not be delivered" (https://docs.aws.amazon.com/eventbridge/latest/ref/event-delivery-level.html). Order is not
 * guaranteed. Schedule rules fire at a fixed rate ("rate(1 minute)").
 */
import type { World } from '../world';

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

export interface Rule {
  readonly name: string;
  readonly matches: (event: BusEvent) => boolean;
  readonly target: (event: BusEvent) => void;
}

export class EventBus {
  private readonly rules: Rule[] = [];
  private counter = 0;
  published = 0;
  delivered = 0;
  lost = 0;
  duplicated = 0;

  constructor(private readonly world: World) {}

  addRule(rule: Rule): void {
    this.rules.push(rule);
  }

  private envelope(detailType: string, source: string, resources: string[], detail: Record<string, unknown>): BusEvent {
    this.counter++;
    const hex = this.counter.toString(16).padStart(12, '0');
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
    const matching = this.rules.filter((rule) =>
      rule.matches({ 'detail-type': detailType, source, detail } as BusEvent),
    );
    if (matching.length === 0) return;
    const event = this.envelope(detailType, source, resources, detail);
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
        this.world.sim.after(delay, () => {
          this.delivered++;
          rule.target(event);
        });
      }
    }
  }

  /** Schedule rule (source aws.events, detail-type "Scheduled Event"). */
  schedule(name: string, periodSeconds: number, target: (event: BusEvent) => void): void {
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
