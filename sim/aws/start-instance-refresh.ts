/**
 * StartInstanceRefresh (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html) on the
 * simulated group: Rolling strategy only; the API's defaults for omitted preferences ("Understand the default values
 * for an instance refresh": MinHealthyPercentage 90, MaxHealthyPercentage 100, SkipMatching false, AutoRollback false,
 * ScaleInProtectedInstances Wait, CheckpointDelay 3600; warm-up: the group's default instance warm-up or health check
 * grace period — 300 s here); its validation (max − min ≤ 100; auto rollback refused for launch templates whose AMI is
 * an SSM parameter, RefreshPreferences.AutoRollback) and InstanceRefreshInProgressFault while one is Pending,
 * InProgress or Cancelling. The target is the AMI the launch template resolves now (`resolve:ssm:` or concrete).
 */
import { awsError } from './errors';
import {
  ACTIVE_STATUSES,
  InstanceRefresh,
  type ProtectedInstancesPreference,
  type RefreshContext,
  type RefreshedGroup,
  type RefreshPreferences,
} from './instance-refresh';

type Input = Record<string, unknown>;

function validation(message: string): Error {
  return awsError('AutoScaling', 'ValidationError', message);
}

/** The simulated account as StartInstanceRefresh sees it: what a refresh needs, and the one group. */
export interface StartRefreshContext extends RefreshContext {
  readonly asg: RefreshedGroup & { readonly imageResolver?: () => string; launchImageId(): string };
}

export function startInstanceRefresh(world: StartRefreshContext, input: Input): { InstanceRefreshId: string } {
  const group = world.asg;
  if (input.AutoScalingGroupName !== group.name)
    throw validation(`AutoScalingGroup name not found - ${String(input.AutoScalingGroupName)}`);
  if (input.Strategy !== undefined && input.Strategy !== 'Rolling')
    throw validation(`Strategy ${String(input.Strategy)} is not supported`);
  if (group.refresh && ACTIVE_STATUSES.has(group.refresh.status)) {
    throw awsError(
      'AutoScaling',
      'InstanceRefreshInProgressFault',
      'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
    );
  }
  const p = (input.Preferences ?? {}) as Input;
  const prefs: RefreshPreferences = {
    minHealthyPercentage: (p.MinHealthyPercentage as number | undefined) ?? 90,
    maxHealthyPercentage: (p.MaxHealthyPercentage as number | undefined) ?? 100,
    instanceWarmupSeconds: (p.InstanceWarmup as number | undefined) ?? 300,
    checkpointPercentages: p.CheckpointPercentages as number[] | undefined,
    checkpointDelaySeconds: p.CheckpointDelay as number | undefined,
    autoRollback: p.AutoRollback === true,
    skipMatching: p.SkipMatching === true,
    scaleInProtectedInstances: (p.ScaleInProtectedInstances as ProtectedInstancesPreference | undefined) ?? 'Wait',
  };
  if (prefs.maxHealthyPercentage - prefs.minHealthyPercentage > 100)
    throw validation('The difference between MaxHealthyPercentage and MinHealthyPercentage cannot exceed 100.');
  if (prefs.autoRollback && group.imageResolver)
    throw validation('Auto rollback is not supported for launch templates that use an SSM parameter for the AMI.');
  return { InstanceRefreshId: new InstanceRefresh(world, group, group.launchImageId(), prefs).id };
}

/** The preferences as DescribeInstanceRefreshes returns them. */
export function preferencesShape(prefs: RefreshPreferences): Input {
  return {
    MinHealthyPercentage: prefs.minHealthyPercentage,
    MaxHealthyPercentage: prefs.maxHealthyPercentage,
    InstanceWarmup: prefs.instanceWarmupSeconds,
    ...(prefs.checkpointPercentages ? { CheckpointPercentages: [...prefs.checkpointPercentages] } : {}),
    ...(prefs.checkpointDelaySeconds !== undefined ? { CheckpointDelay: prefs.checkpointDelaySeconds } : {}),
    SkipMatching: prefs.skipMatching === true,
    AutoRollback: prefs.autoRollback === true,
    ScaleInProtectedInstances: prefs.scaleInProtectedInstances ?? 'Wait',
  };
}
