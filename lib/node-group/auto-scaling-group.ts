import { Construct } from 'constructs';
import { Token } from 'cdktf';
import {
  AutoscalingGroup,
  AutoscalingGroupConfig,
  AutoscalingGroupInitialLifecycleHook,
} from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { DEFAULTS } from '../defaults';
import { terraformRefreshPreferences } from '../refresh/refresh-preferences';
import { ResolvedNodeGroup, usesSpot } from './resolve-options';

/** Names of the lifecycle hooks on every node group's Auto Scaling group; the gate rules match on them. */
export const LAUNCH_HOOK_NAME = 'ecs-ami-rollout-launch-gate';
export const TERMINATE_HOOK_NAME = 'ecs-ami-rollout-drain-gate';

/** Inputs of the Auto Scaling group beyond the node group's own settings. */
export interface AutoScalingGroupInputs {
  readonly name: string;
  readonly launchTemplate: LaunchTemplate;
  /** Whether Auto Scaling may roll back on its own (concrete AMI ids only). */
  readonly autoRollback: boolean;
  /** Add the terminate hook for the drain gate (not when ECS managed draining owns draining: ECS adds its own hook). */
  readonly drainHook: boolean;
  readonly tags: Record<string, string>;
}

/**
 * The hooks as `initial_lifecycle_hook` blocks (so the group's very first instances are gated) — the provider marks the
 * block ForceNew (internal/service/autoscaling/group.go: `"initial_lifecycle_hook": {... ForceNew: true}`), so the
 * group ignores later changes to it and {@link createLifecycleHooks} applies them in place instead.
 */
function initialHooks(group: ResolvedNodeGroup, drainHook: boolean): AutoscalingGroupInitialLifecycleHook[] {
  return lifecycleHookSpecs(group, drainHook).map((hook) => ({ ...hook }));
}

/** The gate hooks of a node group: the launch hook always, the terminate hook while the drain gate drains. */
export function lifecycleHookSpecs(group: ResolvedNodeGroup, drainHook: boolean) {
  return [
    {
      name: LAUNCH_HOOK_NAME,
      lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      heartbeatTimeout: group.launchHook.heartbeatTimeoutSeconds,
      defaultResult: group.launchHook.defaultResult,
    },
    ...(drainHook
      ? [
          {
            name: TERMINATE_HOOK_NAME,
            lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
            heartbeatTimeout: group.terminateHook.heartbeatTimeoutSeconds,
            defaultResult: group.terminateHook.defaultResult,
          },
        ]
      : []),
  ];
}

/**
 * The same hooks as `aws_autoscaling_lifecycle_hook` resources of the same names: PutLifecycleHook creates or updates a
 * hook by name (internal/service/autoscaling/lifecycle_hook.go uses it for create and update; only `name` is ForceNew),
 * so a changed heartbeat or default result, or a drain owner switch, is an in-place update of the hook instead of a new
 * Auto Scaling group. On creation the hook already exists (initial hook) and the Put is a no-op update.
 *
 * Terraform note: these resources refer to the group, so Terraform destroys them BEFORE the group — a node group
 * removed in one apply loses its drain hook first, and its instances terminate without the drain gate.
 * docs/terraform-module.md ("Removing a node group") gives the drained path.
 */
export function createLifecycleHooks(
  scope: Construct,
  group: ResolvedNodeGroup,
  asg: AutoscalingGroup,
  drainHook: boolean,
): AutoscalingLifecycleHook[] {
  return lifecycleHookSpecs(group, drainHook).map(
    (hook) =>
      new AutoscalingLifecycleHook(scope, hook.name === LAUNCH_HOOK_NAME ? 'launch-hook' : 'terminate-hook', {
        ...hook,
        autoscalingGroupName: asg.name,
      }),
  );
}

/**
 * The node group's Auto Scaling group, bound to the launch template's `latest_version` (never `$Latest`/`$Default`:
 * AWS neither refreshes nor rolls back groups that use those aliases).
 *
 * Terraform note: CloudFormation rolls a group through its UpdatePolicy; Terraform starts an instance refresh itself
 * whenever the launch template version (or a listed trigger) changes, and `apply` does not wait for the refresh.
 * Lifecycle hooks are `initial_lifecycle_hook` blocks so that the very first instances are gated too (a separate
 * `aws_autoscaling_lifecycle_hook` only exists after the group's first instances launched); later changes to them go
 * through {@link createLifecycleHooks}.
 */
export function createAutoScalingGroup(
  scope: Construct,
  group: ResolvedNodeGroup,
  inputs: AutoScalingGroupInputs,
): AutoscalingGroup {
  const refresh = group.instanceRefresh;
  const managedScaling = group.capacityProvider.managedScaling;
  const launchTemplateSpecification = {
    launchTemplateId: inputs.launchTemplate.id,
    version: Token.asString(inputs.launchTemplate.latestVersion),
  };
  const placement: Pick<AutoscalingGroupConfig, 'launchTemplate' | 'mixedInstancesPolicy'> = group.mixedInstances
    ? {
        mixedInstancesPolicy: {
          instancesDistribution: {
            onDemandBaseCapacity: group.mixedInstances.onDemandBaseCapacity,
            onDemandPercentageAboveBaseCapacity: group.mixedInstances.onDemandPercentageAboveBaseCapacity,
            spotAllocationStrategy: group.mixedInstances.spotAllocationStrategy,
          },
          launchTemplate: {
            launchTemplateSpecification,
            override: group.instanceTypes.map((instanceType) => ({ instanceType })),
          },
        },
      }
    : {
        launchTemplate: {
          id: launchTemplateSpecification.launchTemplateId,
          version: launchTemplateSpecification.version,
        },
      };

  return new AutoscalingGroup(scope, 'auto-scaling-group', {
    name: inputs.name,
    minSize: group.minSize,
    maxSize: group.maxSize,
    desiredCapacity: group.desiredCapacity,
    vpcZoneIdentifier: group.subnetIds,
    ...placement,
    healthCheckType: 'EC2',
    healthCheckGracePeriod: group.healthCheckGracePeriodSeconds,
    defaultInstanceWarmup: refresh.instanceWarmupSeconds,
    // Managed termination protection needs it; the refresh still replaces protected instances ("Refresh" below).
    protectFromScaleIn: group.capacityProvider.managedTerminationProtection,
    capacityRebalance: usesSpot(group),
    terminationPolicies: [...DEFAULTS.nodeGroup.terminationPolicies],
    enabledMetrics: [...DEFAULTS.nodeGroup.enabledMetrics],
    metricsGranularity: '1Minute',
    initialLifecycleHook: initialHooks(group, inputs.drainHook),
    // Deleting a group empties it first (the provider sets its sizes to 0 and waits for the instances to go within the
    // delete timeout), unless force_delete deletes it at once (AWS terminates the instances without waiting).
    forceDelete: group.forceDelete,
    timeouts: { delete: group.deleteTimeout },
    // One definition (lib/refresh/refresh-preferences.ts) for this block, the watcher's StartInstanceRefresh and the
    // CLI.
    instanceRefresh: {
      strategy: 'Rolling',
      preferences: terraformRefreshPreferences({ ...refresh, autoRollback: inputs.autoRollback }),
    },
    tag: [
      ...Object.entries(inputs.tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
      // ECS adds this tag when managed scaling is on; declaring it keeps `terraform plan` free of drift.
      ...(managedScaling ? [{ key: 'AmazonECSManaged', value: 'true', propagateAtLaunch: true }] : []),
    ],
    lifecycle: {
      // Hook changes go to the hook resources (createLifecycleHooks); with managed scaling ECS owns the desired
      // capacity, which Terraform then sets once and leaves alone.
      ignoreChanges: ['initial_lifecycle_hook', ...(managedScaling ? ['desired_capacity'] : [])],
    },
  });
}
