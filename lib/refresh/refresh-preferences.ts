/**
 * THE definition of the instance refresh a node group is rolled with. Pure (no cdktf, no AWS SDK): the construct's
 * `instance_refresh` block (lib/node-group/auto-scaling-group.ts, and through it the Terraform module), the AMI
 * watcher's StartInstanceRefresh (lambdas/watcher/adapters/autoscaling.ts) and the CLI's `promote` all render it from
 * here, and `__tests__/lib/refresh/refresh-preferences.test.ts` asserts, field by field and for every node-group
 * configuration of its matrix, that the watcher's request equals the synthesized block.
 *
 * Sources (AWS documents):
 * - RefreshPreferences, Amazon EC2 Auto Scaling API Reference,
 *   https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html — `ScaleInProtectedInstances`
 *   "Wait (default): Amazon EC2 Auto Scaling waits one hour for you to remove scale-in protection. Otherwise, the
 *   instance refresh will fail."; `StandbyInstances` the same for Standby; `AutoRollback` "not supported … [when] the
 *   launch template … uses an AWS Systems Manager parameter instead of an AMI ID".
 * - "Understand the default values for an instance refresh",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html — the API
 *   defaults (min 90 %, max 100 %, scale-in protected Wait, skip matching off, checkpoint delay 3600 s).
 * Terraform differs: hashicorp/aws defaults `scale_in_protected_instances` and `standby_instances` to "Ignore"
 * (internal/service/autoscaling/group.go), so every field is always rendered explicitly.
 */

/** Every instance of a node group is protected from scale in (capacity-provider managed termination protection). */
export const SCALE_IN_PROTECTED_INSTANCES = 'Refresh';
/** An instance an operator put in Standby is out of service anyway: replace it rather than wait an hour and fail. */
export const STANDBY_INSTANCES = 'Terminate';
/**
 * With `resolve:ssm:` the launch template does not change when the AMI does, so skip matching would find every
 * instance up to date; in gitops mode a new AMI is a new launch template version and every instance must go anyway.
 */
export const SKIP_MATCHING = false;

/** A rollback never lowers healthy capacity: replacements launch first (min 100 %), in one batch (max 200 %). */
export const ROLLBACK_MIN_HEALTHY_PERCENTAGE = 100;
export const ROLLBACK_MAX_HEALTHY_PERCENTAGE = 200;

/** A node group's refresh settings, resolved (defaults applied). */
export interface RefreshSettings {
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly instanceWarmupSeconds: number;
  /** Ascending, ending with 100; empty = none. */
  readonly checkpointPercentages?: readonly number[];
  /** Only sent with checkpoints. */
  readonly checkpointDelaySeconds?: number;
  /** CloudWatch alarms that fail the refresh when one goes into ALARM; empty = none. */
  readonly alarmNames?: readonly string[];
  /** Only for launch templates with a concrete AMI id (gitops); never with `resolve:ssm:`. */
  readonly autoRollback?: boolean;
}

/** The StartInstanceRefresh `Preferences` (AWS's field names). */
export interface StartRefreshPreferences {
  readonly MinHealthyPercentage: number;
  readonly MaxHealthyPercentage: number;
  readonly InstanceWarmup: number;
  readonly CheckpointPercentages?: number[];
  readonly CheckpointDelay?: number;
  readonly SkipMatching: boolean;
  readonly AutoRollback: boolean;
  readonly ScaleInProtectedInstances: typeof SCALE_IN_PROTECTED_INSTANCES;
  readonly StandbyInstances: typeof STANDBY_INSTANCES;
  readonly AlarmSpecification?: { readonly Alarms: string[] };
}

/** The `instance_refresh.preferences` block of aws_autoscaling_group, as the cdktf provider bindings take it. */
export interface TerraformRefreshPreferences {
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  /** The provider's nullable int attributes are strings. */
  readonly instanceWarmup: string;
  readonly checkpointPercentages?: number[];
  readonly checkpointDelay?: string;
  readonly skipMatching: boolean;
  readonly autoRollback: boolean;
  readonly scaleInProtectedInstances: string;
  readonly standbyInstances: string;
  readonly alarmSpecification?: { readonly alarms: string[] };
}

function hasItems(list: readonly unknown[] | undefined): list is readonly unknown[] {
  return list !== undefined && list.length > 0;
}

/** The preferences of a rollout (the watcher's StartInstanceRefresh, the CLI's `promote`). */
export function startRefreshPreferences(settings: RefreshSettings): StartRefreshPreferences {
  const checkpoints = hasItems(settings.checkpointPercentages);
  return {
    MinHealthyPercentage: settings.minHealthyPercentage,
    MaxHealthyPercentage: settings.maxHealthyPercentage,
    InstanceWarmup: settings.instanceWarmupSeconds,
    ...(checkpoints ? { CheckpointPercentages: [...(settings.checkpointPercentages as number[])] } : {}),
    ...(checkpoints && settings.checkpointDelaySeconds !== undefined
      ? { CheckpointDelay: settings.checkpointDelaySeconds }
      : {}),
    SkipMatching: SKIP_MATCHING,
    AutoRollback: settings.autoRollback === true,
    ScaleInProtectedInstances: SCALE_IN_PROTECTED_INSTANCES,
    StandbyInstances: STANDBY_INSTANCES,
    ...(hasItems(settings.alarmNames) ? { AlarmSpecification: { Alarms: [...settings.alarmNames] } } : {}),
  };
}

/** The same preferences as the Terraform block renders them (Terraform starts this refresh on a template change). */
export function terraformRefreshPreferences(settings: RefreshSettings): TerraformRefreshPreferences {
  const request = startRefreshPreferences(settings);
  return {
    minHealthyPercentage: request.MinHealthyPercentage,
    maxHealthyPercentage: request.MaxHealthyPercentage,
    instanceWarmup: String(request.InstanceWarmup),
    ...(request.CheckpointPercentages ? { checkpointPercentages: request.CheckpointPercentages } : {}),
    ...(request.CheckpointDelay !== undefined ? { checkpointDelay: String(request.CheckpointDelay) } : {}),
    skipMatching: request.SkipMatching,
    autoRollback: request.AutoRollback,
    scaleInProtectedInstances: request.ScaleInProtectedInstances,
    standbyInstances: request.StandbyInstances,
    ...(request.AlarmSpecification ? { alarmSpecification: { alarms: request.AlarmSpecification.Alarms } } : {}),
  };
}

/**
 * The refresh the watcher rolls back with: the restored AMI everywhere, launch before terminate (min 100 %, max 200 %),
 * no checkpoints, no alarms (an alarm that failed the rollout may still be in ALARM and would fail the rollback at
 * once), no auto rollback. The node group's warm-up, scale-in and standby handling stay as defined above.
 */
export function rollbackRefreshPreferences(settings: RefreshSettings): StartRefreshPreferences {
  return startRefreshPreferences({
    minHealthyPercentage: ROLLBACK_MIN_HEALTHY_PERCENTAGE,
    maxHealthyPercentage: ROLLBACK_MAX_HEALTHY_PERCENTAGE,
    instanceWarmupSeconds: settings.instanceWarmupSeconds,
  });
}

/** What bounds how long one batch of a refresh may take. */
export interface RefreshDeadlineInput {
  readonly desiredCapacity: number;
  readonly settings: RefreshSettings;
  /** The launch hook's heartbeat timeout: the launch gate decides (CONTINUE / ABANDON) within it. */
  readonly launchHookSeconds: number;
  /** The terminate hook's heartbeat timeout: the drain gate's maximum drain fits within it. */
  readonly terminateHookSeconds: number;
}

/** Slack on top of the worst case of every batch (EventBridge, sweeps, Auto Scaling's own evaluation period). */
export const REFRESH_DEADLINE_SLACK_SECONDS = 900;

/**
 * Seconds after which a refresh that has not ended is stuck: every batch may take a launch (the launch hook's
 * timeout), the warm-up and a drain (the terminate hook's timeout); checkpoints add their delay. A batch holds
 * desired × (max − min) / 100 replacements, at least one.
 */
export function refreshDeadlineSeconds(input: RefreshDeadlineInput): number {
  const s = input.settings;
  const desired = Math.max(1, input.desiredCapacity);
  const perBatch = Math.max(1, Math.floor((desired * (s.maxHealthyPercentage - s.minHealthyPercentage)) / 100));
  const batches = Math.ceil(desired / perBatch);
  const batch = input.launchHookSeconds + s.instanceWarmupSeconds + input.terminateHookSeconds;
  const checkpoints = (s.checkpointPercentages?.length ?? 0) * (s.checkpointDelaySeconds ?? 3600);
  return batches * batch + checkpoints + REFRESH_DEADLINE_SLACK_SECONDS;
}
