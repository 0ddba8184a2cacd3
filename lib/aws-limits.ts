/**
 * AWS limits and formulas the constructs, the Terraform module and the Lambdas all rely on, defined once. Pure: no
 * cdktf import, so the Lambda bundles can import it too. Each value cites its AWS document.
 */

/**
 * Lifecycle hook heartbeat timeout range, seconds. "The range is from 30 to 7200 seconds."
 * PutLifecycleHook — Amazon EC2 Auto Scaling API Reference,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html
 */
export const HOOK_HEARTBEAT_SECONDS = { min: 30, max: 7200 } as const;

/**
 * "The maximum time, in seconds, that an instance can remain in a wait state. The maximum is 172800 seconds (48 hours)
 * or 100 times HeartbeatTimeout, whichever is smaller." LifecycleHook.GlobalTimeout — Amazon EC2 Auto Scaling API
 * Reference, https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LifecycleHook.html
 */
export const HOOK_GLOBAL_TIMEOUT = { capSeconds: 172800, heartbeatFactor: 100 } as const;

/** The longest an instance can wait at a lifecycle hook: min(48 h, 100 × heartbeat timeout), in seconds. */
export function hookGlobalTimeoutSeconds(heartbeatTimeoutSeconds: number): number {
  return Math.min(HOOK_GLOBAL_TIMEOUT.capSeconds, HOOK_GLOBAL_TIMEOUT.heartbeatFactor * heartbeatTimeoutSeconds);
}

/** {@link hookGlobalTimeoutSeconds} as a Terraform expression over the heartbeat expression `heartbeat`. */
export function hookGlobalTimeoutHcl(heartbeat: string): string {
  return `min(${HOOK_GLOBAL_TIMEOUT.capSeconds}, ${HOOK_GLOBAL_TIMEOUT.heartbeatFactor} * ${heartbeat})`;
}

/**
 * Instance refresh checkpoint delay: "The maximum value is 172800 (48 hours)." RefreshPreferences — Amazon EC2 Auto
 * Scaling API Reference, https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export const CHECKPOINT_DELAY_MAX_SECONDS = 172800;

/** Instance refresh: at most 10 CloudWatch alarms (AlarmSpecification, same reference). */
export const REFRESH_ALARMS_MAX = 10;

/**
 * A mixed instances policy takes at most 40 overrides (LaunchTemplate.Overrides, "Array Members: Maximum number of 40
 * items"), https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplate.html
 */
export const INSTANCE_TYPE_OVERRIDES_MAX = 40;

/**
 * Security groups per network interface: 5 by default (adjustable quota). Amazon VPC quotas,
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
 */
export const SECURITY_GROUPS_PER_INTERFACE = 5;

/** gp3 volumes end at 16 TiB. Amazon EBS volume types, https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html */
export const GP3_MAX_SIZE_GIB = 16384;

/**
 * gp3 IOPS 3000–16000 and throughput 125–1000 MiB/s (the same page). Newer limits (80,000 IOPS / 2,000 MiB/s) exist in
 * some Regions; we accept the documented baseline range and let AWS reject the rest at launch.
 */
export const GP3_IOPS = { min: 3000, max: 16000 } as const;
export const GP3_THROUGHPUT_MIBPS = { min: 125, max: 1000 } as const;

/** IMDS PUT response hop limit 1–64. InstanceMetadataOptionsRequest — Amazon EC2 API Reference. */
export const IMDS_HOP_LIMIT = { min: 1, max: 64 } as const;

/**
 * ECS capacity provider managed scaling: target capacity 1–100, step sizes 1–10000, instance warm-up 0–10000 s.
 * ManagedScaling — Amazon ECS API Reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html
 */
export const MANAGED_SCALING = {
  targetCapacity: { min: 1, max: 100 },
  stepSize: { min: 1, max: 10000 },
  instanceWarmupPeriod: { min: 0, max: 10000 },
} as const;

/**
 * Capacity provider strategy: weight 0–1000, base 0–100000, and only one provider in a strategy may set a base.
 * CapacityProviderStrategyItem — Amazon ECS API Reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
 */
export const STRATEGY = { weight: { min: 0, max: 1000 }, base: { min: 0, max: 100000 } } as const;
