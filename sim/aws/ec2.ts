/**
 * Simulated EC2: instance state (pending → running → shutting-down → terminated), boot, and the ECS agent starting
 * and registering — or never registering (bad AMI, broken user data), with a given probability.
 * Instance states: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
 *
 * Launch limits ("Request throttling for the Amazon EC2 API",
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): RunInstances also draws on a resource
 * token bucket, one token per instance, 1000 tokens, refilled at 2 per second; past it a launch fails with
 * RequestLimitExceeded. *Assumption*: the launches Auto Scaling makes for a group draw on the account's bucket (AWS
 * does not say). Capacity: a scenario can declare windows in which EC2 answers InsufficientInstanceCapacity (AWS
 * documents the error, "Insufficient capacity errors", not when it happens).
 */
import type { Simulation } from '../clock';
import type { Rng } from '../rng';
import type { Timings } from '../timings';
import { TokenBucket } from './throttle';

/** What the simulated EC2 needs from the world (sim/world.ts's World satisfies it). */
export interface Ec2Context {
  readonly sim: Simulation;
  readonly timings: Timings;
  readonly rng: { readonly ec2: Rng };
  /** The scenario's new AMI: only its launches may never join (bad AMI, neverJoinProbability). */
  readonly newAmiId: string;
  readonly faults: {
    readonly badAmiIds: ReadonlySet<string>;
    readonly neverJoinProbability: number;
    onRegistered(ec2InstanceId: string): void;
  };
  readonly ecs: { register(ec2InstanceId: string): unknown; hostTerminated(ec2InstanceId: string): void };
}

/** RunInstances resource token bucket (EC2 API request throttling). */
export const RUN_INSTANCES_RESOURCE_BUCKET = { capacity: 1000, refillPerSecond: 2 };

export type RunInstanceResult =
  | { readonly launched: true; readonly instance: Ec2Instance }
  | { readonly launched: false; readonly code: string; readonly message: string };

export type Ec2State = 'pending' | 'running' | 'shutting-down' | 'terminated';

export interface Ec2Instance {
  readonly id: string;
  readonly imageId: string;
  state: Ec2State;
  readonly launchTime: number;
  readonly neverJoins: boolean;
  readonly tags: Map<string, string>;
  terminatedAt?: number;
}

/** A registered AMI as DescribeImages reports it; `creationDate` in virtual seconds (negative = before the run). */
export interface Ec2Image {
  readonly imageId: string;
  readonly name: string;
  readonly creationDate: number;
}

export class Ec2 {
  readonly instances = new Map<string, Ec2Instance>();
  readonly images = new Map<string, Ec2Image>();
  private counter = 0;
  private readonly launchTokens = new TokenBucket(RUN_INSTANCES_RESOURCE_BUCKET);
  private readonly outages: { readonly start: number; readonly end: number }[] = [];
  /** Launches EC2 refused (capacity or rate). */
  refusedLaunches = 0;

  constructor(private readonly world: Ec2Context) {}

  /** Scenario: EC2 has no capacity for the group's instance types between `start` and `end` (virtual seconds). */
  addCapacityOutage(start: number, end: number): void {
    this.outages.push({ start, end });
  }

  /**
   * RunInstances for one instance on behalf of Auto Scaling. `existing`: the fleet a scenario starts from, built before
   * the scenario begins (no limit applies).
   */
  runInstance(imageId: string, onRunning: (id: string) => void, existing = false): RunInstanceResult {
    if (!existing) {
      const now = this.world.sim.now;
      if (this.outages.some((o) => now >= o.start && now < o.end)) {
        this.refusedLaunches++;
        return {
          launched: false,
          code: 'InsufficientInstanceCapacity',
          message:
            'We currently do not have sufficient m7i.large capacity in the Availability Zone you requested. ' +
            'Launching EC2 instance failed.',
        };
      }
      if (!this.launchTokens.take(now)) {
        this.refusedLaunches++;
        return {
          launched: false,
          code: 'RequestLimitExceeded',
          message: 'Request limit exceeded. Launching EC2 instance failed.',
        };
      }
    }
    return { launched: true, instance: this.launch(imageId, onRunning) };
  }

  /** RegisterImage (or AWS publishing a public AMI). */
  registerImage(imageId: string, name: string, creationDate: number): void {
    this.images.set(imageId, { imageId, name, creationDate });
  }

  isRunning(id: string): boolean {
    return this.instances.get(id)?.state === 'running';
  }

  /** RunInstances. `onRunning` fires when the instance reaches `running`. */
  launch(imageId: string, onRunning: (id: string) => void): Ec2Instance {
    this.counter++;
    const id = `i-${this.counter.toString(16).padStart(17, '0')}`;
    const faults = this.world.faults;
    // Faults hit the rollout's replacements, never the steady fleet it starts from.
    const replacement = imageId === this.world.newAmiId;
    const neverJoins =
      replacement && (faults.badAmiIds.has(imageId) || this.world.rng.ec2.chance(faults.neverJoinProbability));
    const instance: Ec2Instance = {
      id,
      imageId,
      state: 'pending',
      launchTime: this.world.sim.now,
      neverJoins,
      tags: new Map(),
    };
    this.instances.set(id, instance);
    const t = this.world.timings;
    const rng = this.world.rng.ec2;
    this.world.sim.after(
      rng.lognormal(
        t.ec2PendingToRunning.median,
        t.ec2PendingToRunning.sigma,
        t.ec2PendingToRunning.min,
        t.ec2PendingToRunning.max,
      ),
      () => {
        if (instance.state !== 'pending') return;
        instance.state = 'running';
        onRunning(id);
        const boot = rng.lognormal(
          t.ec2BootToAgent.median,
          t.ec2BootToAgent.sigma,
          t.ec2BootToAgent.min,
          t.ec2BootToAgent.max,
        );
        const register = rng.lognormal(
          t.ecsRegistration.median,
          t.ecsRegistration.sigma,
          t.ecsRegistration.min,
          t.ecsRegistration.max,
        );
        this.world.sim.after(boot + register, () => {
          if (instance.state !== 'running' || instance.neverJoins) return;
          this.world.ecs.register(id);
          this.world.faults.onRegistered(id);
        });
      },
    );
    return instance;
  }

  /** TerminateInstances: the OS shuts down (containers die), then the instance is terminated. */
  terminate(id: string, onTerminated: (id: string) => void): void {
    const instance = this.instances.get(id);
    if (!instance || instance.state === 'shutting-down' || instance.state === 'terminated') return;
    instance.state = 'shutting-down';
    const t = this.world.timings;
    const rng = this.world.rng.ec2;
    this.world.sim.after(rng.uniform(1, 5), () => this.world.ecs.hostTerminated(id));
    this.world.sim.after(
      rng.lognormal(t.ec2Shutdown.median, t.ec2Shutdown.sigma, t.ec2Shutdown.min, t.ec2Shutdown.max),
      () => {
        instance.state = 'terminated';
        instance.terminatedAt = this.world.sim.now;
        onTerminated(id);
      },
    );
  }
}
