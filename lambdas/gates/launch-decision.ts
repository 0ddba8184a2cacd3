/**
 * Launch gate decision: may a new instance leave Pending:Wait and join the cluster? Pure: observed state + policy +
 * clock → decision. CONTINUE only when ECS can place tasks on it; ABANDON (the ASG terminates and replaces it) when it
 * cannot become usable; WAIT otherwise, until the join deadline.
 */
import {
  ContainerInstanceView,
  Ec2InstanceView,
  GateDecision,
  LAUNCH_WAIT_STATE,
  isHeartbeatDue,
  secondsBetween,
} from './types';

export interface LaunchObservation {
  readonly instanceId: string;
  /** Lifecycle state in the ASG; undefined when the ASG no longer lists the instance. */
  readonly lifecycleState?: string;
  /** `Destination` of the lifecycle event (warm pools), when the check was triggered by one. */
  readonly destination?: string;
  /** EC2 facts; undefined when not looked up or not visible yet (EC2 is eventually consistent right after launch). */
  readonly ec2?: Ec2InstanceView;
  /** The container instance registered by this EC2 instance; undefined = not registered (yet). */
  readonly containerInstance?: ContainerInstanceView;
  /** Start of the wait: EC2 LaunchTime, else the lifecycle event time; undefined = unknown (never abandon on it). */
  readonly waitStartedAt?: Date;
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
  readonly elapsedSeconds?: number;
}

const GONE_EC2_STATES = new Set(['shutting-down', 'terminated', 'stopping', 'stopped']);
const HEALTHY = 'OK';

export function decideLaunch(observation: LaunchObservation, policy: LaunchPolicy, now: Date): LaunchDecision {
  const { instanceId, ec2, containerInstance: ci } = observation;
  const elapsed = observation.waitStartedAt ? secondsBetween(observation.waitStartedAt, now) : undefined;
  const done = (decision: GateDecision, reason: string): LaunchDecision => ({
    decision,
    reason,
    heartbeat: false,
    elapsedSeconds: elapsed,
  });

  if (observation.lifecycleState !== LAUNCH_WAIT_STATE) {
    // Duplicate or late trigger: the action was completed already (InService, Pending:Proceed, Terminating…).
    return done(
      'NOOP',
      `${instanceId} is ${observation.lifecycleState ?? 'not in the Auto Scaling group'}, not ${LAUNCH_WAIT_STATE}`,
    );
  }
  if (ec2 !== undefined && GONE_EC2_STATES.has(ec2.state)) {
    return done('ABANDON', `EC2 instance ${instanceId} is ${ec2.state}`);
  }
  if (observation.destination === 'WarmPool') {
    // Instances warming up into a warm pool do not join the cluster; they are gated again when they leave the pool.
    return done('CONTINUE', `${instanceId} is entering the warm pool; it is checked when it moves into the group`);
  }
  if (observation.expectedAmiId && ec2?.imageId && ec2.imageId !== observation.expectedAmiId) {
    return done('ABANDON', `${instanceId} runs ${ec2.imageId} but the node group expects ${observation.expectedAmiId}`);
  }
  if (ci?.status === 'REGISTRATION_FAILED') {
    return done('ABANDON', `container instance of ${instanceId} is REGISTRATION_FAILED`);
  }

  const notReady = notReadyReason(ci, policy);
  if (notReady === undefined) {
    const health = ci?.healthStatus ? `, health ${ci.healthStatus}` : ', health not reported (old agent)';
    return done('CONTINUE', `${instanceId} is ACTIVE with the agent connected${health}`);
  }
  if (elapsed !== undefined && elapsed >= policy.joinDeadlineSeconds) {
    return done(
      'ABANDON',
      `${notReady} after ${Math.floor(elapsed)} s (join deadline ${policy.joinDeadlineSeconds} s)`,
    );
  }
  const clock =
    elapsed === undefined ? 'wait start unknown' : `${Math.floor(elapsed)} s of ${policy.joinDeadlineSeconds} s`;
  return {
    decision: 'WAIT',
    reason: `${notReady} (${clock})`,
    // No per-instance storage exists before registration, so the launch gate heartbeats on every check once half the
    // heartbeat timeout has passed since launch; the join deadline bounds how many that can be.
    heartbeat: isHeartbeatDue(now, observation.waitStartedAt, policy.heartbeatTimeoutSeconds),
    elapsedSeconds: elapsed,
  };
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
