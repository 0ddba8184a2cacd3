/**
 * Launch gate decision: may a new instance leave Pending:Wait and join the cluster? Pure: observed state + policy +
 * clock → decision. CONTINUE only when ECS can place tasks on it; ABANDON (the ASG terminates and replaces it) when it
 * cannot become usable; WAIT otherwise, until the join deadline.
 *
 * ECS may place tasks on a container instance as soon as it is ACTIVE, even while the launch hook still holds the EC2
 * instance. So an instance the gate gives up on is first set to DRAINING and abandoned only once no task holds its
 * resources (service tasks are moved by ECS; the instance's drain is short, it just joined).
 *
 * Warm pools are not supported (no node-group option creates one): an instance launching into a warm pool is refused
 * (ABANDON, after a drain if its agent registered), an instance leaving one is gated like any launch with its join
 * deadline counted from the lifecycle action ("Warm pool example events and patterns", Examples 1 and 2).
 */
import {
  ContainerInstanceView,
  Ec2InstanceView,
  GateDecision,
  LAUNCH_HOOK_WAIT_STATES,
  WARMED_WAIT_STATE,
  isHeartbeatDue,
  secondsBetween,
} from './types';

export interface LaunchObservation {
  readonly instanceId: string;
  /** Lifecycle state in the ASG; undefined when the ASG no longer lists the instance. */
  readonly lifecycleState?: string;
  /** `Origin` / `Destination` of the lifecycle event (EC2 | AutoScalingGroup | WarmPool) that triggered the check. */
  readonly origin?: string;
  readonly destination?: string;
  /** EC2 facts; undefined when not looked up or not visible yet (EC2 is eventually consistent right after launch). */
  readonly ec2?: Ec2InstanceView;
  /** The container instance registered by this EC2 instance; undefined = not registered (yet). */
  readonly containerInstance?: ContainerInstanceView;
  /**
   * Start of the wait, when the caller knows it; otherwise derived: the lifecycle event time for an instance leaving a
   * warm pool (its EC2 launch may be hours old), else EC2 LaunchTime, else the event time; unknown = never abandon on
   * it.
   */
  readonly waitStartedAt?: Date;
  /** Time of the lifecycle event that triggered this check. */
  readonly lifecycleEventTime?: Date;
  /** AMI the node group expects (config expectedAmiId or the approved-AMI SSM parameter). */
  readonly expectedAmiId?: string;
}

export interface LaunchPolicy {
  readonly joinDeadlineSeconds: number;
  readonly requireHealthyInstance: boolean;
  readonly heartbeatTimeoutSeconds: number;
}

export interface LaunchDecision {
  readonly decision: GateDecision;
  readonly reason: string;
  /** Send RecordLifecycleActionHeartbeat (only with WAIT). */
  readonly heartbeat: boolean;
  /** UpdateContainerInstancesState → DRAINING: the instance is being given up and tasks may sit on it. */
  readonly setDraining: boolean;
  readonly elapsedSeconds?: number;
  /** The instance met a feature ecs-ami-rollout refuses (alert operators). */
  readonly unsupported?: 'warm-pool';
}

const GONE_EC2_STATES = new Set(['shutting-down', 'terminated', 'stopping', 'stopped']);
const HEALTHY = 'OK';

export function decideLaunch(observation: LaunchObservation, policy: LaunchPolicy, now: Date): LaunchDecision {
  const { instanceId, ec2, containerInstance: ci, lifecycleState } = observation;
  const waitStartedAt = waitStart(observation);
  const elapsed = waitStartedAt ? secondsBetween(waitStartedAt, now) : undefined;
  const done = (decision: GateDecision, reason: string, extra: Partial<LaunchDecision> = {}): LaunchDecision => ({
    decision,
    reason,
    heartbeat: false,
    setDraining: false,
    elapsedSeconds: elapsed,
    ...extra,
  });

  if (lifecycleState === undefined || !LAUNCH_HOOK_WAIT_STATES.has(lifecycleState)) {
    // Duplicate or late trigger: the action was completed already (InService, Pending:Proceed, Terminating…).
    return done(
      'NOOP',
      `${instanceId} is ${lifecycleState ?? 'not in the Auto Scaling group'}, not held by a launch hook`,
    );
  }
  if (ec2 !== undefined && GONE_EC2_STATES.has(ec2.state)) {
    return done('ABANDON', `EC2 instance ${instanceId} is ${ec2.state}`);
  }
  const warmPool = lifecycleState === WARMED_WAIT_STATE || observation.destination === 'WarmPool';
  const notReady = notReadyReason(ci, policy);
  const giveUp = abandonReason(observation, notReady, elapsed, policy, warmPool);
  if (giveUp !== undefined) {
    const flag = warmPool ? { unsupported: 'warm-pool' as const } : {};
    if (ci?.status === 'ACTIVE') {
      return done('WAIT', `abandoning ${instanceId} (${giveUp}): setting it to DRAINING first`, {
        ...flag,
        setDraining: true,
        heartbeat: isHeartbeatDue(now, waitStartedAt, policy.heartbeatTimeoutSeconds),
      });
    }
    if (ci?.status === 'DRAINING' && holdsTasks(ci)) {
      return done('WAIT', `abandoning ${instanceId} (${giveUp}): waiting for its tasks to leave`, {
        ...flag,
        heartbeat: isHeartbeatDue(now, waitStartedAt, policy.heartbeatTimeoutSeconds),
      });
    }
    return done('ABANDON', giveUp, flag);
  }
  if (notReady === undefined) {
    const health = ci?.healthStatus ? `, health ${ci.healthStatus}` : ', health not reported (old agent)';
    return done('CONTINUE', `${instanceId} is ACTIVE with the agent connected${health}`);
  }
  const clock =
    elapsed === undefined ? 'wait start unknown' : `${Math.floor(elapsed)} s of ${policy.joinDeadlineSeconds} s`;
  // No per-instance storage exists before registration, so the launch gate heartbeats on every check once half the
  // heartbeat timeout has passed since the wait began; the join deadline bounds how many that can be.
  return done('WAIT', `${notReady} (${clock})`, {
    heartbeat: isHeartbeatDue(now, waitStartedAt, policy.heartbeatTimeoutSeconds),
  });
}

/** The wait's start: see LaunchObservation.waitStartedAt. */
function waitStart(observation: LaunchObservation): Date | undefined {
  if (observation.waitStartedAt !== undefined) return observation.waitStartedAt;
  if (observation.origin === 'WarmPool') return observation.lifecycleEventTime;
  return observation.ec2?.launchTime ?? observation.lifecycleEventTime;
}

/** Why the gate gives up on the instance; undefined while it may still become usable. */
function abandonReason(
  observation: LaunchObservation,
  notReady: string | undefined,
  elapsed: number | undefined,
  policy: LaunchPolicy,
  warmPool: boolean,
): string | undefined {
  const { instanceId, ec2, containerInstance: ci, expectedAmiId } = observation;
  if (warmPool) return `${instanceId} is launching into a warm pool, which ecs-ami-rollout does not support`;
  if (expectedAmiId && ec2?.imageId && ec2.imageId !== expectedAmiId) {
    return `${instanceId} runs ${ec2.imageId} but the node group expects ${expectedAmiId}`;
  }
  if (ci?.status === 'REGISTRATION_FAILED') return `container instance of ${instanceId} is REGISTRATION_FAILED`;
  if (notReady !== undefined && elapsed !== undefined && elapsed >= policy.joinDeadlineSeconds) {
    return `${notReady} after ${Math.floor(elapsed)} s (join deadline ${policy.joinDeadlineSeconds} s)`;
  }
  return undefined;
}

/** A DRAINING instance still holds tasks: its resources say so, else its task counts; unreported = empty. */
function holdsTasks(ci: ContainerInstanceView): boolean {
  if (ci.holdsResources !== undefined) return ci.holdsResources;
  return (ci.runningTasksCount ?? 0) + (ci.pendingTasksCount ?? 0) > 0;
}

/** Why the container instance cannot take tasks yet; undefined when it can. */
function notReadyReason(ci: ContainerInstanceView | undefined, policy: LaunchPolicy): string | undefined {
  if (ci === undefined) return 'not registered in the cluster yet';
  if (ci.status !== 'ACTIVE') return `container instance is ${ci.status}`;
  if (!ci.agentConnected) return 'ECS agent is not connected';
  if (policy.requireHealthyInstance && ci.healthStatus !== undefined && ci.healthStatus !== HEALTHY) {
    return `container instance health is ${ci.healthStatus}`;
  }
  return undefined;
}
