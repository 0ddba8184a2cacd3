/**
 * Observed-state types shared by the adapters (which build them from AWS responses) and the pure decision functions
 * (which only read them). Nothing in here talks to AWS, so the operator CLI can reuse them to explain a wait.
 */

/** Lifecycle states (DescribeAutoScalingInstances / DescribeAutoScalingGroups) the gates act on. */
export const LAUNCH_WAIT_STATE = 'Pending:Wait';
export const TERMINATE_WAIT_STATE = 'Terminating:Wait';

export type GateDecision = 'CONTINUE' | 'ABANDON' | 'WAIT' | 'NOOP';

/** ECS container instance as the gates see it (DescribeContainerInstances with CONTAINER_INSTANCE_HEALTH). */
export interface ContainerInstanceView {
  readonly arn: string;
  readonly ec2InstanceId: string;
  /** REGISTERING | REGISTRATION_FAILED | ACTIVE | DRAINING | DEREGISTERING | INACTIVE */
  readonly status: string;
  readonly agentConnected: boolean;
  /** healthStatus.overallStatus; undefined when the agent is too old to report health. */
  readonly healthStatus?: string;
  /** Custom (non-`ecs.`) attributes: the gates keep their state across invocations here. */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * Task counts DescribeContainerInstances returns with every answer (undefined when not reported). While their sum
   * is above 0 a task is still on the instance, so the drain gate needs no task listing to know it must wait.
   */
  readonly runningTasksCount?: number;
  readonly pendingTasksCount?: number;
}

/** EC2 instance facts used by the launch gate (DescribeInstances). */
export interface Ec2InstanceView {
  readonly instanceId: string;
  /** pending | running | shutting-down | terminated | stopping | stopped */
  readonly state: string;
  readonly launchTime?: Date;
  readonly imageId?: string;
}

export interface TaskView {
  readonly taskArn: string;
  /** PROVISIONING … RUNNING … DEPROVISIONING | STOPPED */
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** `service:NAME` for service tasks, `family:NAME` for standalone tasks. */
  readonly group?: string;
  /** `ecs-svc/…` when the service scheduler started the task. */
  readonly startedBy?: string;
}

export interface DeploymentView {
  /** PRIMARY | ACTIVE | INACTIVE */
  readonly status: string;
  /** IN_PROGRESS | COMPLETED | FAILED */
  readonly rolloutState?: string;
}

export interface ServiceView {
  readonly name: string;
  /** ACTIVE | DRAINING | INACTIVE (deleted) */
  readonly status: string;
  /** REPLICA | DAEMON */
  readonly schedulingStrategy: string;
  readonly runningCount: number;
  readonly desiredCount: number;
  readonly deployments: readonly DeploymentView[];
}

/** What the drain gate remembers between invocations (stored as container-instance attributes, see drain-state.ts). */
export interface DrainState {
  readonly drainStartedAt?: Date;
  readonly lastHeartbeatAt?: Date;
  readonly standaloneStoppedAt?: Date;
}

export function secondsBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 1000;
}

/**
 * A heartbeat is due once half of the heartbeat timeout has passed since the last heartbeat (or the start of the
 * wait). Unknown reference time → due now: a spare heartbeat costs one API call, a missed one costs the instance.
 */
export function isHeartbeatDue(now: Date, since: Date | undefined, heartbeatTimeoutSeconds: number): boolean {
  return since === undefined || secondsBetween(since, now) >= heartbeatTimeoutSeconds / 2;
}
