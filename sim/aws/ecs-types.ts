/** State of the simulated ECS control plane (one cluster), and the narrow view of the world it runs in. */
import type { Simulation } from '../clock';
import type { Rng } from '../rng';
import type { Timings } from '../timings';
export type ContainerInstanceStatus =
  'REGISTERING' | 'REGISTRATION_FAILED' | 'ACTIVE' | 'DRAINING' | 'DEREGISTERING' | 'INACTIVE';

export type TaskStatus =
  'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export type TaskKind = 'replica' | 'daemon' | 'standalone';

export interface ContainerInstance {
  readonly arn: string;
  readonly ec2InstanceId: string;
  status: ContainerInstanceStatus;
  statusReason?: string;
  agentConnected: boolean;
  readonly registeredAt: number;
  version: number;
  readonly attributes: Map<string, string>;
  readonly tasks: Set<Task>;
  /** Counted in the healthy-capacity metric right now (ACTIVE, agent connected). */
  countedHealthy: boolean;
}

export interface Task {
  readonly arn: string;
  readonly kind: TaskKind;
  readonly service?: Service;
  readonly group: string;
  readonly startedBy?: string;
  readonly taskDefinitionArn: string;
  readonly ci: ContainerInstance;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  /** Healthy in the load balancer (replica tasks) / running (others): counts towards minimumHealthyPercent. */
  healthy: boolean;
  readonly createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  version: number;
  /** Standalone tasks end by themselves at this time (undefined: run until stopped). */
  readonly endsAt?: number;
  /** A transition is waiting for the agent to reconnect. */
  deferred?: () => void;
}

export interface ServiceEvent {
  readonly id: string;
  readonly createdAt: number;
  readonly message: string;
}

/** ECS (rolling update) | CODE_DEPLOY (blue/green) | EXTERNAL: the service's deploymentController.type. */
export type DeploymentControllerType = 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';

export interface Service {
  readonly name: string;
  readonly arn: string;
  readonly strategy: 'REPLICA' | 'DAEMON';
  /** CODE_DEPLOY and EXTERNAL services report task sets, no deployments (DescribeServices). */
  readonly controller: DeploymentControllerType;
  desiredCount: number;
  /** UpdateService may change both (an operator fixing, or breaking, a service's headroom). */
  minimumHealthyPercent: number;
  maximumPercent: number;
  readonly tasks: Set<Task>;
  readonly deploymentId: string;
  readonly createdAt: number;
  events: ServiceEvent[];
  /** Fault: the scheduler cannot place this service's tasks until then (missing image, ENI limits…). */
  placementBlockedUntil: number;
  reconcileScheduled: boolean;
  wasStable: boolean;
}

/**
 * CPU units and MiB a container instance registers, and what one task reserves until it is STOPPED. The agent reserves
 * a task's resources at placement and releases them when the task stops ("Amazon ECS container instance state change
 * events"). Sizes are an assumption (an m7i.large: 2 vCPU, 8 GiB less the OS); only "anything reserved?" is read.
 */
export const REGISTERED_RESOURCES = { cpu: 2048, memory: 7680 } as const;
export const TASK_RESERVATION = { cpu: 256, memory: 1024 } as const;

/** What the simulated ECS needs from the world (sim/world.ts's World satisfies it). */
export interface EcsContext {
  readonly region: string;
  readonly account: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly sim: Simulation;
  readonly rng: { readonly ecs: Rng };
  readonly timings: Timings;
  readonly metrics: {
    refreshHealthy(ci: ContainerInstance): void;
    taskStopped(task: Task, cut: boolean): void;
  };
  readonly bus: {
    publish(detailType: string, source: string, resources: string[], detail: Record<string, unknown>): void;
  };
  readonly watchers: { instanceChanged(ci: ContainerInstance): void; serviceChanged(service: Service): void };
  readonly ec2: {
    isRunning(id: string): boolean;
    readonly instances: ReadonlyMap<string, { readonly imageId: string }>;
  };
}

/** What the service scheduler (ecs-scheduler.ts) calls on its cluster (ecs.ts's EcsCluster satisfies it). */
export interface ScheduledCluster {
  readonly instances: ReadonlyMap<string, ContainerInstance>;
  readonly services: ReadonlyMap<string, Service>;
  startTask(ci: ContainerInstance, kind: TaskKind, service?: Service): Task;
  stopTask(task: Task, stopCode: string, reason: string): void;
}
