/** State of the simulated ECS control plane (one cluster). */
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

export interface Service {
  readonly name: string;
  readonly arn: string;
  readonly strategy: 'REPLICA' | 'DAEMON';
  desiredCount: number;
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
  readonly tasks: Set<Task>;
  readonly deploymentId: string;
  readonly createdAt: number;
  events: ServiceEvent[];
  /** Fault: the scheduler cannot place this service's tasks until then (missing image, ENI limits…). */
  placementBlockedUntil: number;
  reconcileScheduled: boolean;
  wasStable: boolean;
}
