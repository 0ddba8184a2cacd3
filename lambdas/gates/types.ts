/**
 * Observed-state types shared by the adapters (which build them from AWS responses) and the pure decision functions
 * (which only read them). Nothing in here talks to AWS, so the operator CLI can reuse them to explain a wait.
 */

/**
 * Lifecycle states (DescribeAutoScalingInstances / DescribeAutoScalingGroups / DescribeWarmPool) the gates act on.
 * "Amazon EC2 Auto Scaling instance lifecycle", "Warm pool example events and patterns" and "Replace root volumes
 * during instance refresh" (docs.aws.amazon.com/autoscaling/ec2/userguide/…).
 */
export const LAUNCH_WAIT_STATE = 'Pending:Wait';
export const TERMINATE_WAIT_STATE = 'Terminating:Wait';
/** Both hooks can hold an instance here: launching into a warm pool, or scaled in back to it. */
export const WARMED_WAIT_STATE = 'Warmed:Pending:Wait';
/** Root volume replacement (instance refresh strategy ReplaceRootVolume): the host is stopped next. */
export const ROOT_VOLUME_WAIT_STATE = 'ReplacingRootVolume:Wait';

/** States in which the launch gate's hook holds an instance. */
export const LAUNCH_HOOK_WAIT_STATES: ReadonlySet<string> = new Set([LAUNCH_WAIT_STATE, WARMED_WAIT_STATE]);
/** States in which the drain gate's hook holds an instance whose tasks must leave first. */
export const DRAIN_WAIT_STATES: ReadonlySet<string> = new Set([
  TERMINATE_WAIT_STATE,
  WARMED_WAIT_STATE,
  ROOT_VOLUME_WAIT_STATE,
]);

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
  /**
   * A task that is not STOPPED holds CPU or memory on the instance: remainingResources < registeredResources. The agent
   * releases a task's resources only when it stops ("Amazon ECS container instance state change events"), so this,
   * unlike the task counts (RUNNING and PENDING only, API_ContainerInstance.html), also sees tasks that are still
   * DEACTIVATING or STOPPING. undefined when ECS did not report the resources.
   */
  readonly holdsResources?: boolean;
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

/** A task set of a CODE_DEPLOY or EXTERNAL service (DescribeServices `taskSets`, API_TaskSet.html). */
export interface TaskSetView {
  /** PRIMARY | ACTIVE | DRAINING */
  readonly status: string;
  /** STEADY_STATE | STABILIZING */
  readonly stabilityStatus?: string;
  readonly runningCount: number;
  readonly computedDesiredCount: number;
}

export interface ServiceView {
  readonly name: string;
  /** ACTIVE | DRAINING | INACTIVE (deleted) */
  readonly status: string;
  /** REPLICA | DAEMON */
  readonly schedulingStrategy: string;
  readonly runningCount: number;
  readonly desiredCount: number;
  /** ECS-controller deployments; empty for CODE_DEPLOY and EXTERNAL services, which use task sets. */
  readonly deployments: readonly DeploymentView[];
  /** ECS | CODE_DEPLOY | EXTERNAL. @default 'ECS' */
  readonly deploymentController?: string;
  readonly taskSets?: readonly TaskSetView[];
  /** deploymentConfiguration; undefined = ECS's defaults (100 / 200). */
  readonly minimumHealthyPercent?: number;
  readonly maximumPercent?: number;
  readonly launchType?: string;
  readonly capacityProviders?: readonly string[];
}

/** What the drain gate remembers between invocations (stored as container-instance attributes, see drain-state.ts). */
export interface DrainState {
  readonly drainStartedAt?: Date;
  readonly lastHeartbeatAt?: Date;
  /** When operators were last told that this drain is held (no headroom, or slower than maxDrainSeconds). */
  readonly heldAlertedAt?: Date;
  /**
   * The services whose tasks were on the instance when its drain began (undefined: not recorded — too long for an
   * attribute, or not listed yet). Lets any environment check their stability without listing the tasks again.
   */
  readonly services?: readonly string[];
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
