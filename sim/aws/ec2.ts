/**
 * Simulated EC2: instance state (pending → running → shutting-down → terminated), boot, and the ECS agent starting
 * and registering — or never registering (bad AMI, broken user data), with a given probability.
 * Instance states: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
 */
import type { World } from '../world';

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

  constructor(private readonly world: World) {}

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
