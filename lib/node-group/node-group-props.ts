import { AmiMode } from '../ami/ami-ownership';
import { AmiSource } from '../ami/ami-source';
import { Architecture } from '../ami/ecs-optimized-parameters';

/** Lifecycle hook settings. */
export interface LifecycleHookOptions {
  /**
   * Seconds the instance waits in `Pending:Wait` / `Terminating:Wait` before the default result applies, unless the
   * gate records a heartbeat. The hook's global timeout is min(48 h, 100 × this value). AWS allows 30–7200.
   * @default 900 for the launch hook, 3600 for the terminate hook (DEFAULTS.nodeGroup)
   */
  readonly heartbeatTimeoutSeconds?: number;
  /**
   * Result applied when the heartbeat expires. ABANDON on launch terminates the new instance (fail safe: a host
   * that never joined the cluster never takes work); on terminate, both results terminate the instance.
   * @default 'ABANDON' for the launch hook, 'CONTINUE' for the terminate hook
   */
  readonly defaultResult?: 'CONTINUE' | 'ABANDON';
}

/**
 * Instance refresh preferences. An AMI rollout replaces instances in batches that keep
 * [minHealthyPercentage, maxHealthyPercentage] of the desired capacity in service.
 */
export interface InstanceRefreshOptions {
  /**
   * Capacity kept in service and healthy during the refresh, as a percentage of desired capacity (0–100).
   * 100 with max 200 means "launch the replacement first, then drain and terminate the old instance": no capacity
   * is ever lost, which is what a cluster running tasks wants.
   * @default 100
   */
  readonly minHealthyPercentage?: number;
  /**
   * Upper bound on in-service plus pending instances, as a percentage of desired capacity (100–200, and at most 100
   * above minHealthyPercentage).
   * @default 200
   */
  readonly maxHealthyPercentage?: number;
  /**
   * Seconds after a replacement reaches InService before the refresh counts it as healthy and moves on.
   * @default 60 (the launch gate already waited for the ECS agent)
   */
  readonly instanceWarmupSeconds?: number;
  /**
   * Percentages of the group at which the refresh pauses for `checkpointDelaySeconds` (ascending, last = 100).
   * @default [] (no checkpoints)
   */
  readonly checkpointPercentages?: number[];
  /**
   * Seconds to pause at each checkpoint (0–172800).
   * @default 3600
   */
  readonly checkpointDelaySeconds?: number;
  /**
   * CloudWatch alarm names (up to 10): the refresh fails (and rolls back when auto rollback is on) when one fires.
   * @default [] (no alarms)
   */
  readonly alarmNames?: string[];
  /**
   * Let Auto Scaling roll the group back to the previous launch template version when the refresh fails.
   * Only possible when the launch template holds a concrete AMI id (not `resolve:ssm:`).
   *
   * Terraform note: after an automatic rollback the ASG runs the previous launch template version while Terraform
   * state still records the newer one, so the next `terraform plan` proposes the newer version again — fix the AMI
   * (or pin the previous one) before applying.
   * @default true when the AMI source allows it
   */
  readonly autoRollback?: boolean;
}

/** An extra EBS volume of the instances (gp3, encrypted). */
export interface ExtraVolumeOptions {
  /** Device name, /dev/xvdb … /dev/xvdz (or /dev/sdb … /dev/sdz). */
  readonly deviceName: string;
  /** Size in GiB (1–16384). */
  readonly sizeGiB: number;
  /**
   * Provisioned IOPS (3000–16000).
   * @default gp3's baseline, 3000
   */
  readonly iops?: number;
  /**
   * Throughput in MiB/s (125–1000).
   * @default gp3's baseline, 125
   */
  readonly throughput?: number;
  /**
   * KMS key.
   * @default the node group's rootVolumeKmsKeyId, else aws/ebs
   */
  readonly kmsKeyId?: string;
}

/** Spot / mixed instances settings; setting this prop switches the group to a mixed instances policy. */
export interface MixedInstancesOptions {
  /**
   * On-demand instances launched before any spot instance.
   * @default 0
   */
  readonly onDemandBaseCapacity?: number;
  /**
   * Percentage of on-demand instances above the base (0 = all spot, 100 = all on-demand).
   * @default 100
   */
  readonly onDemandPercentageAboveBaseCapacity?: number;
  /**
   * Spot allocation strategy.
   * @default 'price-capacity-optimized'
   */
  readonly spotAllocationStrategy?:
    'price-capacity-optimized' | 'capacity-optimized' | 'capacity-optimized-prioritized' | 'lowest-price';
}

/** ECS capacity provider settings of a node group. */
export interface CapacityProviderOptions {
  /**
   * Managed scaling target: how full (in % of reserved resources) ECS keeps the group.
   * @default 100
   */
  readonly targetCapacityPercent?: number;
  /**
   * Let ECS scale the group (desired capacity becomes ECS's, Terraform ignores it after creation).
   * @default true
   */
  readonly managedScaling?: boolean;
  /**
   * Let ECS protect instances running tasks from scale-in (requires managed scaling; sets `protect_from_scale_in`).
   * @default true
   */
  readonly managedTerminationProtection?: boolean;
  /**
   * Fewest instances managed scaling adds or removes at once (1–10000).
   * @default 1
   */
  readonly minimumScalingStepSize?: number;
  /**
   * Most instances managed scaling adds or removes at once (1–10000).
   * @default 10
   */
  readonly maximumScalingStepSize?: number;
  /**
   * Seconds a new instance's metrics are left out of managed scaling (0–10000).
   * @default 300
   */
  readonly instanceWarmupPeriodSeconds?: number;
  /**
   * Weight of this capacity provider in the cluster's default capacity provider strategy.
   * @default 1
   */
  readonly weight?: number;
  /**
   * Tasks always placed on this capacity provider before weights apply (only one provider per strategy may set it).
   * @default 0
   */
  readonly base?: number;
}

/** Settings of one node group: one launch template, one Auto Scaling group, one capacity provider. */
export interface NodeGroupOptions {
  /** Unique name within the cluster (lowercase letters, digits, hyphens; 1–32), e.g. `x86`, `arm64-spot`. */
  readonly name: string;
  /**
   * Subnets the instances launch in (private subnets: instances get no public IP by default).
   * @default the cluster-level `subnetIds`
   */
  readonly subnetIds?: string[];
  /**
   * Security groups of the instances' primary network interface (1–5).
   * @default the cluster-level `securityGroupIds`
   */
  readonly securityGroupIds?: string[];
  /**
   * CPU architecture; decides the default AMI parameter and instance types.
   * @default 'x86_64'
   */
  readonly architecture?: Architecture;
  /**
   * Where the AMI comes from.
   * @default AmiSource.ecsOptimized() — Amazon Linux 2023, the group's architecture
   */
  readonly amiSource?: AmiSource;
  /**
   * Who owns the AMI over time: `auto` (the AMI watcher promotes and rolls back through a module-owned SSM parameter;
   * `terraform plan` never drifts) or `gitops` (a concrete AMI id in the launch template; every change is a reviewed
   * plan, rolled by Terraform's instance refresh with Auto Scaling auto rollback).
   * @default 'auto'
   */
  readonly amiMode?: AmiMode;
  /**
   * Instance types; more than one requires `mixedInstances` (the first is the launch template's default).
   * @default ['m7i.large'] for x86_64, ['m7g.large'] for arm64
   */
  readonly instanceTypes?: string[];
  /** Minimum group size. @default 1 */
  readonly minSize?: number;
  /** Maximum group size. @default 10 */
  readonly maxSize?: number;
  /**
   * Initial desired capacity. With managed scaling ECS owns it afterwards.
   * @default 2
   */
  readonly desiredCapacity?: number;
  /**
   * Root volume size in GiB (gp3, encrypted); at least the AMI's root snapshot (30 GiB for ECS-optimized Amazon Linux).
   * @default 30
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Provisioned IOPS of the gp3 root volume (3000–16000).
   * @default gp3's baseline, 3000
   */
  readonly rootVolumeIops?: number;
  /**
   * Throughput of the gp3 root volume in MiB/s (125–1000).
   * @default gp3's baseline, 125
   */
  readonly rootVolumeThroughput?: number;
  /**
   * KMS key for the root volume (and the extra volumes that name none).
   * @default the account's EBS default key (aws/ebs)
   */
  readonly rootVolumeKmsKeyId?: string;
  /**
   * Further EBS volumes (gp3, encrypted, deleted with the instance), e.g. a Docker data volume.
   * @default none
   */
  readonly extraVolumes?: ExtraVolumeOptions[];
  /**
   * EC2 key pair for SSH. Session Manager needs none; prefer it.
   * @default none
   */
  readonly keyName?: string;
  /**
   * IMDSv2 response hop limit (1–64). 1 keeps containers in bridge/awsvpc mode from reading the instance role's
   * credentials (tasks use task roles); raise to 2 only for containers that must reach IMDS.
   * @default 1
   */
  readonly httpPutResponseHopLimit?: number;
  /**
   * Give instances a public IP (only for public subnets without NAT; not recommended).
   * @default false
   */
  readonly associatePublicIpAddress?: boolean;
  /**
   * One-minute EC2 metrics.
   * @default true
   */
  readonly detailedMonitoring?: boolean;
  /**
   * Seconds between SIGTERM and SIGKILL when the agent stops a container (ECS_CONTAINER_STOP_TIMEOUT).
   * @default 30
   */
  readonly containerStopTimeoutSeconds?: number;
  /**
   * Extra user data (shell script or `#cloud-config`) run after the ECS agent configuration; base64 of such a script is
   * accepted and decoded. Do not put secrets here: user data is readable by anyone who can describe the instance.
   * @default none
   */
  readonly userData?: string;
  /**
   * Seconds before Auto Scaling checks a new instance's health.
   * @default 0 (the launch gate holds the instance until it is healthy in ECS)
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Delete the Auto Scaling group without waiting for its instances to terminate (AWS terminates them anyway). Speeds
   * up `terraform destroy`; see docs/terraform-module.md for what happens to draining.
   * @default false
   */
  readonly forceDelete?: boolean;
  /**
   * How long `terraform destroy` waits for the group's instances to terminate (a Terraform duration such as "20m").
   * @default '20m'
   */
  readonly deleteTimeout?: string;
  /** Instance refresh preferences. @default see InstanceRefreshOptions */
  readonly instanceRefresh?: InstanceRefreshOptions;
  /** Launch lifecycle hook. @default heartbeat 900 s, default result ABANDON */
  readonly launchHook?: LifecycleHookOptions;
  /** Terminate lifecycle hook. @default heartbeat 3600 s, default result CONTINUE */
  readonly terminateHook?: LifecycleHookOptions;
  /**
   * Mixed instances policy (several instance types, on-demand/spot split); capacity rebalancing is turned on when
   * any capacity is spot.
   * @default none (a single instance type, on-demand)
   */
  readonly mixedInstances?: MixedInstancesOptions;
  /** Capacity provider settings. @default see CapacityProviderOptions */
  readonly capacityProvider?: CapacityProviderOptions;
  /**
   * Tags for the group, its instances, volumes and network interfaces.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}
