/**
 * One simulated AWS account/Region: clock, RNG streams, EC2, ECS cluster, Auto Scaling group, EventBridge, fake SDK
 * clients and metrics, bootstrapped to a steady cluster on the old AMI (every service at its desired count).
 */
import { Simulation } from './clock';
import { Rng } from './rng';
import { Timings, withTimings } from './timings';
import { Faults, FaultPlan, NO_FAULTS } from './faults';
import { Metrics } from './metrics';
import { Watchers } from './watchers';
import { Ec2 } from './aws/ec2';
import { EcsCluster } from './aws/ecs';
import { AutoScalingGroup } from './aws/autoscaling';
import { EventBus } from './aws/eventbridge';
import { FakeAwsClient } from './aws/fake-clients';
import { ecsOperations } from './aws/ecs-api';
import { autoScalingOperations, ec2Operations } from './aws/autoscaling-api';
import { SsmParameterStore } from './aws/ssm';
import type { RecordedAwsCall } from './aws/fake-clients';

export interface ClusterShape {
  readonly instances: number;
  /** Replica tasks per service (services = instances × serviceTasksPerInstance / this). */
  readonly tasksPerService?: number;
  readonly serviceTasksPerInstance?: number;
  readonly daemon?: boolean;
  readonly minimumHealthyPercent?: number;
  readonly maximumPercent?: number;
  /** Deployment controller of the replica services (ECS rolling update, CODE_DEPLOY or EXTERNAL task sets). */
  readonly deploymentController?: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
  /** Extra one-task services ECS cannot drain (minimumHealthyPercent 100, maximumPercent 150): chaos scenarios. */
  readonly servicesWithoutHeadroom?: number;
}

export interface WorldOptions {
  readonly seed: number;
  readonly shape: ClusterShape;
  readonly timings?: Partial<Timings>;
  readonly faults?: FaultPlan;
  /** Called for every AWS request the simulated clients receive (the IAM contract test records them). */
  readonly onAwsCall?: (call: RecordedAwsCall) => void;
  /** Reserved concurrency of the gate functions (functions.reservedConcurrency); unset = the account's unreserved. */
  readonly reservedConcurrency?: number;
}

export const OLD_AMI = 'ami-0a1b2c3d4e5f60001';
export const NEW_AMI = 'ami-0a1b2c3d4e5f60002';

export class World {
  readonly region = 'us-east-1';
  readonly account = '123456789012';
  readonly clusterName = 'prod';
  readonly clusterArn = `arn:aws:ecs:us-east-1:123456789012:cluster/prod`;
  readonly oldAmiId = OLD_AMI;
  readonly newAmiId = NEW_AMI;
  readonly sim = new Simulation();
  readonly rng: Record<'ecs' | 'ec2' | 'bus' | 'lambda' | 'api' | 'faults' | 'setup', Rng>;
  readonly timings: Timings;
  readonly faults: Faults;
  readonly metrics: Metrics;
  readonly watchers: Watchers;
  readonly ec2: Ec2;
  readonly bus: EventBus;
  readonly ecs: EcsCluster;
  readonly asg: AutoScalingGroup;
  /** Visible SSM parameter values (the store below writes them; older scenarios set them directly). */
  readonly ssmParameters = new Map<string, string>();
  readonly ssm: SsmParameterStore;
  readonly clients: { ecs: FakeAwsClient; autoScaling: FakeAwsClient; ec2: FakeAwsClient; ssm: FakeAwsClient };
  readonly onAwsCall?: (call: RecordedAwsCall) => void;

  constructor(readonly options: WorldOptions) {
    this.onAwsCall = options.onAwsCall;
    const root = new Rng(options.seed);
    this.rng = {
      ecs: root.fork('ecs'),
      ec2: root.fork('ec2'),
      bus: root.fork('bus'),
      lambda: root.fork('lambda'),
      api: root.fork('api'),
      faults: root.fork('faults'),
      setup: root.fork('setup'),
    };
    this.timings = withTimings(options.timings);
    this.faults = new Faults(this, options.faults ?? NO_FAULTS);
    if (this.faults.plan.badAmi) this.faults.badAmiIds.add(NEW_AMI);
    this.metrics = new Metrics(this);
    this.watchers = new Watchers(this);
    this.bus = new EventBus(this);
    this.ec2 = new Ec2(this);
    this.ecs = new EcsCluster(this);
    this.ssm = new SsmParameterStore(this, root.fork('ssm'));
    this.ec2.registerImage(OLD_AMI, 'al2023-ami-ecs-hvm-2023.0.20241217-kernel-6.1-x86_64', -30 * 86400);
    this.ec2.registerImage(NEW_AMI, 'al2023-ami-ecs-hvm-2023.0.20250102-kernel-6.1-x86_64', 0);
    const n = options.shape.instances;
    this.asg = new AutoScalingGroup(this, 'prod-general', OLD_AMI, n, n, 2 * n);
    this.ssmParameters.set('/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', NEW_AMI);
    this.clients = {
      ecs: new FakeAwsClient(this, 'ECS', ecsOperations(this)),
      autoScaling: new FakeAwsClient(this, 'AutoScaling', autoScalingOperations(this)),
      ec2: new FakeAwsClient(this, 'EC2', ec2Operations(this)),
      ssm: new FakeAwsClient(this, 'SSM', this.ssm.operations()),
    };
  }

  /**
   * Steady state before the rollout: N old instances InService and registered, every replica service at its desired
   * count and healthy, one daemon task per instance, optional standalone tasks. Built in place (no events).
   */
  async bootstrap(): Promise<void> {
    const shape = this.options.shape;
    const n = shape.instances;
    const perInstance = shape.serviceTasksPerInstance ?? this.timings.serviceTasksPerInstance;
    const perService = shape.tasksPerService ?? this.timings.tasksPerService;
    const total = n * perInstance;
    const serviceCount = Math.max(1, Math.round(total / perService));
    const services = Array.from({ length: serviceCount }, (_, i) => {
      const desired = Math.floor(total / serviceCount) + (i < total % serviceCount ? 1 : 0);
      const name = `svc-${String(i + 1).padStart(4, '0')}`;
      return this.ecs.createService(
        name,
        'REPLICA',
        desired,
        shape.minimumHealthyPercent ?? 100,
        shape.maximumPercent ?? 200,
        shape.deploymentController ?? 'ECS',
      );
    });
    for (let i = 0; i < (shape.servicesWithoutHeadroom ?? 0); i++) {
      services.push(this.ecs.createService(`singleton-${i + 1}`, 'REPLICA', 1, 100, 150));
    }
    if (shape.daemon ?? true) this.ecs.createService('log-router', 'DAEMON', 0, 0, 100);
    for (let i = 0; i < n; i++) this.asg.launch('initial capacity', OLD_AMI, true);
    // Let the fleet boot and the scheduler place everything; nothing listens yet.
    let nextCheck = 0;
    await this.sim.run(600, () => {
      if (this.sim.now < nextCheck) return false;
      nextCheck = this.sim.now + 1;
      return this.settled(services.length);
    });
    for (const block of this.faults.plan.placementBlocks) {
      const service = services[block.serviceIndex % services.length];
      this.sim.at(block.start, () => {
        service.placementBlockedUntil = block.end;
      });
    }
    for (const loss of this.faults.plan.headroomLosses ?? []) {
      // An operator's UpdateService leaves the service without headroom mid-rollout, and restores it later (or not).
      const service = services[loss.serviceIndex % services.length];
      const { minimumHealthyPercent, maximumPercent } = service;
      this.sim.at(loss.start, () => this.ecs.updateDeploymentConfiguration(service, 100, 100));
      if (Number.isFinite(loss.end)) {
        this.sim.at(loss.end, () =>
          this.ecs.updateDeploymentConfiguration(service, minimumHealthyPercent, maximumPercent),
        );
      }
    }
    const rng = this.rng.setup;
    const instances = [...this.ecs.instances.values()];
    for (let i = 0; i < this.faults.plan.standaloneTasks; i++) {
      const ci = rng.pick(instances);
      const [min, max] = this.faults.plan.standaloneTaskSeconds;
      this.ecs.startTask(ci, 'standalone', undefined, 'batch-job', this.sim.now + rng.uniform(min, max));
    }
  }

  private settled(serviceCount: number): boolean {
    if (this.asg.alive().some((i) => i.lifecycleState !== 'InService')) return false;
    if (this.ecs.instances.size < this.options.shape.instances) return false;
    let count = 0;
    for (const service of this.ecs.services.values()) {
      if (!this.ecs.isStable(service)) return false;
      count++;
    }
    return count >= serviceCount;
  }

  /** Replica services all at desired count with healthy tasks. */
  servicesStable(): boolean {
    for (const service of this.ecs.services.values())
      if (service.strategy === 'REPLICA' && !this.ecs.isStable(service)) return false;
    return true;
  }

  /** Every instance of the group runs the new AMI and is InService; no old instance is left; services are stable. */
  rolloutComplete(): boolean {
    if ((this.asg.imageCounts.get(OLD_AMI) ?? 0) > 0) return false;
    const all = [...this.asg.instances.values()];
    if (all.some((i) => i.imageId !== NEW_AMI)) return false;
    const inService = all.filter((i) => i.lifecycleState === 'InService').length;
    if (inService < this.asg.desired || all.length !== inService) return false;
    return this.servicesStable();
  }
}
