import { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { EcsCapacityProvider } from '@cdktf/provider-aws/lib/ecs-capacity-provider';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { DEFAULTS } from '../defaults';
import { applyAmiOwnership, OwnedAmi } from '../ami/ami-ownership';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { checkOneOf } from '../validation';
import {
  createAutoScalingGroup,
  createLifecycleHooks,
  LAUNCH_HOOK_NAME,
  TERMINATE_HOOK_NAME,
} from './auto-scaling-group';
import { EcsInstanceRole } from './instance-role';
import { createLaunchTemplate } from './launch-template';
import { NodeGroupOptions } from './node-group-props';
import { InheritedNetwork, ResolvedNodeGroup, resolveNodeGroupOptions } from './resolve-options';
import { NODE_GROUP_RULES } from './node-group-rules';
import { validateNodeGroup } from './validate-node-group';

/** Who drains an instance before Auto Scaling terminates it. Exactly one owner, or both fight over the instance. */
export type DrainOwner = 'lambda' | 'ecs';

/** The cluster a node group registers with. */
export interface ClusterReference {
  readonly clusterName: string;
  readonly clusterArn: string;
}

/** Props of {@link NodeGroup}. */
export interface NodeGroupProps extends NodeGroupOptions {
  /** Cluster the instances join. */
  readonly cluster: ClusterReference;
  /**
   * Instance profile for the instances.
   * @default a new profile with the ECS agent and Session Manager managed policies
   */
  readonly instanceProfileName?: string;
  /**
   * Who drains instances before termination: `lambda` (this project's drain gate; ECS managed draining DISABLED) or
   * `ecs` (ECS managed draining ENABLED, no drain gate).
   * @default 'lambda'
   */
  readonly drainOwner?: DrainOwner;
  /**
   * Subnets and security groups used when the node group sets none of its own.
   * @default none
   */
  readonly inheritedNetwork?: InheritedNetwork;
}

/**
 * One group of ECS container instances: a launch template, an Auto Scaling group with instance refresh and the two
 * gate lifecycle hooks, and an ECS capacity provider. Several node groups (x86, arm64, GPU, spot) share one cluster.
 */
export class NodeGroup extends Construct {
  /** The node group's settings with every default applied. */
  readonly settings: ResolvedNodeGroup;
  /** The AMI as the launch template uses it: source, ownership mode, watcher parameters. */
  readonly ami: OwnedAmi;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly capacityProvider: EcsCapacityProvider;
  /** The gate hooks as resources (in-place updates; the group's initial hooks only gate its first instances). */
  readonly lifecycleHooks: AutoscalingLifecycleHook[];
  /** Name of the Auto Scaling group (known at plan time). */
  readonly autoScalingGroupName: string;
  readonly launchHookName = LAUNCH_HOOK_NAME;
  readonly terminateHookName = TERMINATE_HOOK_NAME;
  /** Who drains this group's instances. */
  readonly drainOwner: DrainOwner;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const drainOwner = props.drainOwner ?? DEFAULTS.capacityProvider.drainOwner;
    this.drainOwner = drainOwner;
    checkOneOf<DrainOwner>(
      'NodeGroup.drainOwner',
      drainOwner,
      ['lambda', 'ecs'],
      'use "lambda" (drain gate) or "ecs" (managed draining)',
    );
    this.settings = resolveNodeGroupOptions(props, props.inheritedNetwork);
    // The architecture first: the AMI source binds to it, and binding tells the root snapshot size the rules need.
    const architectureRules = NODE_GROUP_RULES.filter((rule) => rule.attribute === 'architecture');
    validateNodeGroup(this.settings, { minimumRootVolumeGiB: 0 }, architectureRules);
    const source = this.settings.amiSource.bind(this, { architecture: this.settings.architecture });
    validateNodeGroup(this.settings, { minimumRootVolumeGiB: source.minimumRootVolumeGiB });
    const name = `${props.cluster.clusterName}-${this.settings.name}`;
    this.ami = applyAmiOwnership(
      this,
      source,
      this.settings.amiMode,
      `/ecs-ami-rollout/${props.cluster.clusterName}/${this.settings.name}`,
    );
    // (an explicit autoRollback in auto mode was rejected by the rules above)
    const autoRollback = this.settings.instanceRefresh.autoRollback ?? this.ami.supportsAutoRollback;

    const tags = { ...this.settings.tags, 'ecs-ami-rollout:node-group': this.settings.name };
    const instanceProfileName =
      props.instanceProfileName ??
      new EcsInstanceRole(this, 'instance-role', { namePrefix: `ecs-${this.settings.name}`, tags }).instanceProfileName;

    this.launchTemplate = createLaunchTemplate(this, this.settings, {
      name,
      clusterName: props.cluster.clusterName,
      instanceProfileName,
      ami: this.ami,
      tags,
    });
    this.autoScalingGroup = createAutoScalingGroup(this, this.settings, {
      name,
      launchTemplate: this.launchTemplate,
      autoRollback,
      drainHook: drainOwner === 'lambda',
      tags,
    });
    this.autoScalingGroupName = name;
    this.lifecycleHooks = createLifecycleHooks(this, this.settings, this.autoScalingGroup, drainOwner === 'lambda');

    const capacity = this.settings.capacityProvider;
    this.capacityProvider = new EcsCapacityProvider(this, 'capacity-provider', {
      // Capacity provider names may not start with "aws", "ecs" or "fargate" — cluster names often do.
      name: `cp-${name}`,
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.autoScalingGroup.arn,
        managedTerminationProtection: capacity.managedTerminationProtection ? 'ENABLED' : 'DISABLED',
        managedDraining: drainOwner === 'lambda' ? 'DISABLED' : 'ENABLED',
        managedScaling: {
          status: capacity.managedScaling ? 'ENABLED' : 'DISABLED',
          targetCapacity: capacity.targetCapacityPercent,
          minimumScalingStepSize: capacity.minimumScalingStepSize,
          maximumScalingStepSize: capacity.maximumScalingStepSize,
          instanceWarmupPeriod: capacity.instanceWarmupPeriodSeconds,
        },
      },
      tags,
    });
  }
}
