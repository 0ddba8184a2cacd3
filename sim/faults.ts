/** Fault plan of a scenario: what goes wrong, how often and when. The bench uses rare, realistic background faults. */
import type { Simulation } from './clock';
import type { Rng } from './rng';
import type { ServiceName } from './aws/errors';
import type { ContainerInstance } from './aws/ecs-types';

export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface FaultPlan {
  readonly neverJoinProbability: number;
  readonly badAmi: boolean;
  readonly eventLossProbability: number;
  readonly eventDuplicateProbability: number;
  readonly eventLateProbability: number;
  readonly eventLateMaxSeconds: number;
  /** A delivery to a rule's target fails with a retriable error (EventBridge then retries per the retry policy). */
  readonly eventTargetFailureProbability?: number;
  readonly lambdaCrashProbabilityPerCall: number;
  /** Latency spikes (× factor on every API call) — with a short Lambda timeout they cause timeouts. */
  readonly latencySpikes: readonly (Window & { factor: number })[];
  readonly throttleBursts: readonly (Window & { service: ServiceName })[];
  /** Probability that a draining instance's agent disconnects for a while. */
  readonly agentDisconnectProbability: number;
  readonly agentDisconnectSeconds: readonly [number, number];
  /** Services (by index modulo count) that cannot place tasks during the window. */
  readonly placementBlocks: readonly (Window & { serviceIndex: number })[];
  /**
   * Services (by index modulo count) whose deployment configuration an operator sets to 100 % / 100 % at `start`
   * (no headroom: no drain can move their tasks) and restores at `end` (Infinity = never).
   */
  readonly headroomLosses?: readonly (Window & { serviceIndex: number })[];
  /** Standalone tasks started on random old instances at bootstrap, and how long they run. */
  readonly standaloneTasks: number;
  readonly standaloneTaskSeconds: readonly [number, number];
}

export const NO_FAULTS: FaultPlan = {
  neverJoinProbability: 0,
  badAmi: false,
  eventLossProbability: 0,
  eventDuplicateProbability: 0,
  eventLateProbability: 0,
  eventLateMaxSeconds: 300,
  lambdaCrashProbabilityPerCall: 0,
  latencySpikes: [],
  throttleBursts: [],
  agentDisconnectProbability: 0,
  agentDisconnectSeconds: [30, 300],
  placementBlocks: [],
  standaloneTasks: 0,
  standaloneTaskSeconds: [60, 600],
};

/** Background rates for the bench: EventBridge duplicates ~0.1 %, losses ~0.01 %. */
export const BACKGROUND_FAULTS: FaultPlan = {
  ...NO_FAULTS,
  eventDuplicateProbability: 0.001,
  eventLossProbability: 0.0001,
};

/** What the faults act on (sim/world.ts's World satisfies it): the clock, their random stream, the ECS agents. */
export interface FaultsContext {
  readonly sim: Simulation;
  readonly rng: { readonly faults: Rng };
  readonly ecs: {
    readonly byEc2Id: ReadonlyMap<string, ContainerInstance>;
    setAgentConnected(ci: ContainerInstance, connected: boolean): void;
  };
}

export class Faults {
  readonly badAmiIds = new Set<string>();

  constructor(
    private readonly world: FaultsContext,
    readonly plan: FaultPlan,
  ) {}

  get neverJoinProbability(): number {
    return this.plan.neverJoinProbability;
  }
  get eventLossProbability(): number {
    return this.plan.eventLossProbability;
  }
  get eventDuplicateProbability(): number {
    return this.plan.eventDuplicateProbability;
  }
  get eventLateProbability(): number {
    return this.plan.eventLateProbability;
  }
  get eventLateMaxSeconds(): number {
    return this.plan.eventLateMaxSeconds;
  }
  get eventTargetFailureProbability(): number {
    return this.plan.eventTargetFailureProbability ?? 0;
  }
  get lambdaCrashProbabilityPerCall(): number {
    return this.plan.lambdaCrashProbabilityPerCall;
  }

  latencyFactor(now: number): number {
    const spike = this.plan.latencySpikes.find((w) => now >= w.start && now < w.end);
    return spike ? spike.factor : 1;
  }

  throttleBurstActive(now: number, service: ServiceName): boolean {
    return this.plan.throttleBursts.some((w) => w.service === service && now >= w.start && now < w.end);
  }

  onRegistered(ec2InstanceId: string): void {
    void ec2InstanceId;
  }

  /** An instance just became DRAINING: maybe its agent drops off for a while (network blip, agent restart). */
  onDraining(ec2InstanceId: string): void {
    const rng = this.world.rng.faults;
    if (!rng.chance(this.plan.agentDisconnectProbability)) return;
    const [min, max] = this.plan.agentDisconnectSeconds;
    const ci = this.world.ecs.byEc2Id.get(ec2InstanceId);
    if (!ci) return;
    this.world.sim.after(rng.uniform(0, 60), () => {
      this.world.ecs.setAgentConnected(ci, false);
      this.world.sim.after(rng.uniform(min, max), () => this.world.ecs.setAgentConnected(ci, true));
    });
  }
}
