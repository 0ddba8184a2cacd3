/**
 * Auto Scaling group state shared by the simulated group (autoscaling.ts), its instance refresh (instance-refresh.ts),
 * the metrics, watchers and strategies: lifecycle transitions, hooks, actions and instances. A leaf: no fake imports it
 * back, so the group and its refresh depend on it instead of on each other.
 */
import type { Activity } from './autoscaling-activities';

export type Transition = 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';
export const LAUNCHING: Transition = 'autoscaling:EC2_INSTANCE_LAUNCHING';
export const TERMINATING: Transition = 'autoscaling:EC2_INSTANCE_TERMINATING';

export interface HookSpec {
  readonly name: string;
  readonly transition: Transition;
  readonly heartbeatTimeout: number;
  readonly defaultResult: 'CONTINUE' | 'ABANDON';
  /** 'ecs-managed': ECS managed draining owns the hook (no EventBridge consumer of ours). */
  readonly owner: 'eventbridge' | 'ecs-managed';
}

export interface LifecycleAction {
  readonly hook: HookSpec;
  readonly token: string;
  readonly instanceId: string;
  readonly startedAt: number;
  heartbeatDeadline: number;
  readonly globalDeadline: number;
  conditionMetAt?: number;
  done: boolean;
}

export interface AsgInstance {
  readonly id: string;
  readonly imageId: string;
  /** The launch template version it was launched from (instance refresh skip matching compares it). */
  readonly launchTemplateVersion: number;
  protectedFromScaleIn: boolean;
  lifecycleState: string;
  readonly launchedAt: number;
  inServiceAt?: number;
  action?: LifecycleAction;
  hookQueue: HookSpec[];
  launchAbandoned: boolean;
  ec2Running: boolean;
  /** The launch activity (its id goes into the "EC2 Instance Launch …" events). */
  launchActivity?: Activity;
}
