/**
 * The module's node groups: ONE `NodeGroup` construct whose settings are Terraform expressions over the node-group
 * map, with `for_each` on each of its resources — so the construct stays the single source of the resources, their
 * names, security settings (IMDSv2, encrypted gp3, no public IP), hooks and instance refresh preferences.
 *
 * The construct takes a few decisions in TypeScript (which AMI owner, which hooks, which placement block, tags). For a
 * `for_each` map those must be Terraform expressions, so they are re-expressed below, each as one named override.
 * Everything else is the construct's output unchanged (`__tests__/module/node-group-parity.test.ts` checks it), and
 * every rule comes from lib/ (node-group rules as preconditions, gate × node group rules likewise).
 */
import { Construct } from 'constructs';
import { MapTerraformIterator, TerraformResource } from 'cdktf';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import {
  AutoscalingGroup,
  AutoscalingGroupInitialLifecycleHook,
  autoscalingGroupInitialLifecycleHookToTerraform,
} from '@cdktf/provider-aws/lib/autoscaling-group';
import { GATE_GROUP_RULES } from '../../lib/gate-node-group-rules';
import { moduleMessage } from '../../lib/rules';
import { FORCE_AFTER_MAX_DRAIN } from '../../lib/setting-rules';
import { RESOLVED_NODE_GROUP_RULES } from '../../lib/node-group/node-group-rules';
import { LaunchTemplateTagSpecifications } from '@cdktf/provider-aws/lib/launch-template';
import { AmiBinding, AmiSource } from '../../lib/ami/ami-source';
import { TERMINATE_HOOK_NAME } from '../../lib/node-group/auto-scaling-group';
import { ClusterReference, NodeGroup } from '../../lib/node-group/node-group';
import { renderUserData } from '../../lib/node-group/user-data';
import { eachValue, hcl, hclBoolean, hclList, hclMap, hclNumber } from './expressions';
import { moduleBlockName } from './module-names';
import { rulePrecondition } from './node-group-rules';

/** Local holding the normalized node groups (every default applied): the map the resources iterate over. */
export const NODE_GROUPS_LOCAL = 'local.node_groups';
/** Local holding the node groups whose AMI the watcher owns (ami_mode "auto"). */
export const AUTO_NODE_GROUPS_LOCAL = 'local.auto_node_groups';

/** The tags of a node group's resources: module, cluster, node group tags, node group tag (construct order). */
export const NODE_GROUP_TAGS =
  'merge(var.tags, { "ecs-ami-rollout:cluster" = var.cluster_name }, each.value.tags, { ' +
  '"ecs-ami-rollout:node-group" = each.key })';

/** The source AMI of a node group: the pinned `ami_id`, else the SSM parameter's value read at plan time. */
const SOURCE_PARAMETER = `data.aws_ssm_parameter.${moduleBlockName('node_group/ami-parameter')}`;
const SOURCE_AMI = `each.value.ami_id != null ? each.value.ami_id : ${SOURCE_PARAMETER}[each.key].insecure_value`;

/**
 * AMI source of the module: per node group `ami_id` or `ami_ssm_parameter` (the locals default the latter to the
 * ECS-optimized parameter of the group's architecture), read with one `for_each` data source.
 */
class ModuleAmiSource extends AmiSource {
  readonly description = 'per node group: ami_id, else the value of ami_ssm_parameter';

  constructor(private readonly iterator: MapTerraformIterator) {
    super();
  }

  bind(scope: Construct): AmiBinding {
    new DataAwsSsmParameter(scope, 'ami-parameter', {
      name: eachValue(this.iterator, 'ami_ssm_parameter'),
      forEach: this.iterator,
    });
    return {
      imageId: hcl(SOURCE_AMI),
      supportsAutoRollback: true,
      minimumRootVolumeGiB: 30,
      rootDeviceName: '/dev/xvda',
      sourceParameterName: eachValue(this.iterator, 'ami_ssm_parameter'),
      osFamily: 'al2023',
    };
  }
}

/** Props of {@link createIteratedNodeGroup}. */
export interface IteratedNodeGroupProps {
  readonly cluster: ClusterReference;
  readonly instanceProfileName: string;
  /** Iterator over {@link NODE_GROUPS_LOCAL}. */
  readonly nodeGroups: MapTerraformIterator;
  /** Iterator over {@link AUTO_NODE_GROUPS_LOCAL}. */
  readonly autoNodeGroups: MapTerraformIterator;
  /** The cluster name as an HCL expression (user data). */
  readonly clusterNameHcl: string;
  /** Iterator over the node groups whose terminate hook the drain gate holds (all, or none under drain_owner "ecs"). */
  readonly drainedNodeGroups: MapTerraformIterator;
}

/** Builds the iterated NodeGroup and applies the module overrides. */
export function createIteratedNodeGroup(scope: Construct, props: IteratedNodeGroupProps): NodeGroup {
  const it = props.nodeGroups;
  const v = (path: string) => `each.value.${path}`;
  const group = new NodeGroup(scope, 'node_group', {
    name: it.key,
    cluster: props.cluster,
    instanceProfileName: props.instanceProfileName,
    // Literal on purpose: the construct then creates both hooks, the SSM parameters and the drain gate; the overrides
    // below make each of them depend on the node group's (or the module's) actual setting.
    drainOwner: 'lambda',
    amiMode: 'auto',
    amiSource: new ModuleAmiSource(it),
    architecture: hcl(v('architecture')) as never,
    subnetIds: hclList(v('subnet_ids')),
    securityGroupIds: hclList(v('security_group_ids')),
    instanceTypes: [hcl(v('instance_types[0]'))],
    minSize: hclNumber(v('min_size')),
    maxSize: hclNumber(v('max_size')),
    desiredCapacity: hclNumber(v('desired_capacity')),
    rootVolumeSizeGiB: hclNumber(v('root_volume_size')),
    rootVolumeIops: hclNumber(v('root_volume_iops')),
    rootVolumeThroughput: hclNumber(v('root_volume_throughput')),
    rootVolumeKmsKeyId: hcl(v('root_volume_kms_key_id')),
    keyName: hcl(v('key_name')),
    forceDelete: hclBoolean(v('force_delete')),
    deleteTimeout: hcl(v('delete_timeout')),
    httpPutResponseHopLimit: hclNumber(v('http_put_response_hop_limit')),
    associatePublicIpAddress: hclBoolean(v('associate_public_ip_address')),
    detailedMonitoring: hclBoolean(v('detailed_monitoring')),
    containerStopTimeoutSeconds: hclNumber(v('container_stop_timeout_seconds')),
    healthCheckGracePeriodSeconds: hclNumber(v('health_check_grace_period')),
    instanceRefresh: {
      minHealthyPercentage: hclNumber(v('instance_refresh.min_healthy_percentage')),
      maxHealthyPercentage: hclNumber(v('instance_refresh.max_healthy_percentage')),
      instanceWarmupSeconds: hclNumber(v('instance_refresh.instance_warmup')),
      checkpointPercentages: hclList(v('instance_refresh.checkpoint_percentages')) as unknown as number[],
      checkpointDelaySeconds: hclNumber(v('instance_refresh.checkpoint_delay')),
      alarmNames: hclList(v('instance_refresh.alarm_names')),
    },
    // Iterator-relative (not raw each.value): the gates list these per node group in `for` expressions.
    launchHook: {
      heartbeatTimeoutSeconds: eachValue(it, 'launch_hook', 'heartbeat_timeout') as unknown as number,
      defaultResult: hcl(v('launch_hook.default_result')) as never,
    },
    terminateHook: {
      heartbeatTimeoutSeconds: eachValue(it, 'terminate_hook', 'heartbeat_timeout') as unknown as number,
      defaultResult: hcl(v('terminate_hook.default_result')) as never,
    },
    capacityProvider: {
      targetCapacityPercent: hclNumber(v('capacity_provider.target_capacity')),
      managedScaling: hclBoolean(v('capacity_provider.managed_scaling')),
      managedTerminationProtection: hclBoolean(v('capacity_provider.managed_termination_protection')),
      minimumScalingStepSize: hclNumber(v('capacity_provider.minimum_scaling_step_size')),
      maximumScalingStepSize: hclNumber(v('capacity_provider.maximum_scaling_step_size')),
      instanceWarmupPeriodSeconds: hclNumber(v('capacity_provider.instance_warmup_period')),
      weight: hclNumber(v('capacity_provider.weight')),
      base: hclNumber(v('capacity_provider.base')),
    },
  });
  iterate(group, props);
  overrideAmi(group);
  overrideUserData(group, props.clusterNameHcl);
  overrideTags(group);
  overridePlacement(group.autoScalingGroup);
  overrideHooks(group);
  overrideRefresh(group.autoScalingGroup);
  overrideCapacityProvider(group);
  addExtraVolumes(group);
  addPreconditions(group.autoScalingGroup);
  return group;
}

/** for_each on every resource: the AMI parameters over the auto node groups, the drain hook over the drained ones. */
function iterate(group: NodeGroup, props: IteratedNodeGroupProps): void {
  for (const child of group.node.findAll()) {
    if (!(child instanceof TerraformResource) || child.forEach) continue;
    const id = child.node.id;
    child.forEach =
      id === 'approved-ami' || id === 'previous-ami'
        ? props.autoNodeGroups
        : id === 'terminate-hook'
          ? props.drainedNodeGroups
          : props.nodeGroups;
  }
}

const APPROVED = moduleBlockName('node_group/approved-ami');
const LAUNCH_TEMPLATE = `aws_launch_template.${moduleBlockName('node_group/launch-template')}`;

/** AMI owner per node group: `resolve:ssm:<approved parameter>` in auto mode, the concrete AMI id in gitops mode. */
function overrideAmi(group: NodeGroup): void {
  group.launchTemplate.imageId = hcl(
    `each.value.ami_mode == "auto" ? "resolve:ssm:\${aws_ssm_parameter.${APPROVED}[each.key].name}" : (${SOURCE_AMI})`,
  );
  // The approved parameter must exist before a launch template resolves it.
  group.launchTemplate.dependsOn = [`aws_ssm_parameter.${APPROVED}`];
}

/** Escapes literal text for an HCL quoted string (no interpolation, no directives). */
function hclStringLiteral(text: string): string {
  return JSON.stringify(text).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/**
 * The construct's multi-part user data (lib/node-group/user-data.ts), rendered with placeholders and completed in
 * Terraform: cluster name, stop timeout, and the optional extra part with its content type.
 */
export function userDataExpression(clusterNameExpression: string): string {
  const marks = { cluster: '@@CLUSTER@@', timeout: '@@TIMEOUT@@', user: '@@USER_DATA@@', type: '@@USER_TYPE@@' };
  const fill = (text: string) =>
    hclStringLiteral(text)
      .replace(marks.cluster, `\${${clusterNameExpression}}`)
      .replace(marks.timeout, '${each.value.container_stop_timeout_seconds}')
      .replace(marks.user, '${replace(each.value.user_data, "/\\\\s+$/", "")}')
      .replace(
        `text/x-shellscript; charset=\\"us-ascii\\"\\n\\n\${replace`,
        `\${${USER_TYPE}}; charset=\\"us-ascii\\"\\n\\n\${replace`,
      );
  const options = { clusterName: marks.cluster, containerStopTimeoutSeconds: marks.timeout as unknown as number };
  const withoutExtra = fill(renderUserData(options));
  const withExtra = fill(renderUserData({ ...options, extraUserData: marks.user }));
  return `base64encode(trimspace(each.value.user_data) == "" ? ${withoutExtra} : ${withExtra})`;
}
const USER_TYPE = 'startswith(each.value.user_data, "#cloud-config") ? "text/cloud-config" : "text/x-shellscript"';

function overrideUserData(group: NodeGroup, clusterName: string): void {
  group.launchTemplate.userData = hcl(userDataExpression(clusterName));
}

function overrideTags(group: NodeGroup): void {
  const tagMap = hclMap(NODE_GROUP_TAGS);
  group.launchTemplate.tags = tagMap;
  // Same resource types as the construct, each with the merged tags.
  const specifications = (group.launchTemplate.tagSpecificationsInput ?? []) as LaunchTemplateTagSpecifications[];
  group.launchTemplate.putTagSpecifications(specifications.map((spec) => ({ ...spec, tags: tagMap })));
  group.capacityProvider.tags = tagMap;
  // ASG tags are blocks; ECS adds AmazonECSManaged itself under managed scaling, declaring it keeps plans quiet.
  group.autoScalingGroup.resetTag();
  group.autoScalingGroup.addOverride('dynamic.tag', {
    for_each: hcl(
      `merge({ for key, value in ${NODE_GROUP_TAGS} : key => { value = value, propagate = false } }, ` +
        'each.value.capacity_provider.managed_scaling ? { AmazonECSManaged = { value = "true", propagate = true ' +
        '} } : {})',
    ),
    iterator: 'tag',
    content: { key: '${tag.key}', value: '${tag.value.value}', propagate_at_launch: '${tag.value.propagate}' },
  });
}

/** One launch template, or a mixed instances policy over `instance_types` (spot), as `mixed_instances` says. */
function overridePlacement(asg: AutoscalingGroup): void {
  const lt = `${LAUNCH_TEMPLATE}[each.key]`;
  asg.resetLaunchTemplate();
  asg.addOverride('dynamic.launch_template', {
    for_each: hcl('each.value.mixed_instances == null ? [1] : []'),
    content: { id: `\${${lt}.id}`, version: `\${${lt}.latest_version}` },
  });
  asg.addOverride('dynamic.mixed_instances_policy', {
    for_each: hcl('each.value.mixed_instances == null ? [] : [each.value.mixed_instances]'),
    iterator: 'mixed',
    content: {
      instances_distribution: {
        on_demand_base_capacity: '${mixed.value.on_demand_base_capacity}',
        on_demand_percentage_above_base_capacity: '${mixed.value.on_demand_percentage_above_base_capacity}',
        spot_allocation_strategy: '${mixed.value.spot_allocation_strategy}',
      },
      launch_template: {
        launch_template_specification: { launch_template_id: `\${${lt}.id}`, version: `\${${lt}.latest_version}` },
        dynamic: {
          override: {
            for_each: '${each.value.instance_types}',
            iterator: 'type',
            content: { instance_type: '${type.value}' },
          },
        },
      },
    },
  });
  asg.addOverride(
    'capacity_rebalance',
    hcl(
      'each.value.mixed_instances == null ? false : ' +
        'each.value.mixed_instances.on_demand_percentage_above_base_capacity < 100',
    ),
  );
}

/**
 * The drain hook only while the drain gate owns draining (`drain_owner = "lambda"`): a dynamic initial hook (it only
 * matters when the group is created; the group ignores later changes) and the hook resource over the drained groups.
 */
function overrideHooks(group: NodeGroup): void {
  const asg = group.autoScalingGroup;
  const hooks = (asg.initialLifecycleHookInput ?? []) as AutoscalingGroupInitialLifecycleHook[];
  const terminate = hooks.find((h) => h.name === TERMINATE_HOOK_NAME);
  const resource = group.lifecycleHooks.find((h: AutoscalingLifecycleHook) => h.node.id === 'terminate-hook');
  if (!terminate || !resource)
    throw new Error('the NodeGroup construct no longer creates the terminate hook the module expects');
  asg.putInitialLifecycleHook(hooks.filter((h) => h !== terminate));
  asg.addOverride('dynamic.initial_lifecycle_hook', {
    for_each: hcl('var.drain_owner == "lambda" ? [1] : []'),
    content: autoscalingGroupInitialLifecycleHookToTerraform(terminate),
  });
}

/** Checkpoints and alarms only when given; auto rollback as resolved per node group (gitops: on; auto: off). */
function overrideRefresh(asg: AutoscalingGroup): void {
  const p = 'instance_refresh.preferences';
  const checkpoints = 'each.value.instance_refresh.checkpoint_percentages';
  asg.addOverride(`${p}.checkpoint_percentages`, hcl(`length(${checkpoints}) > 0 ? ${checkpoints} : null`));
  asg.addOverride(
    `${p}.checkpoint_delay`,
    hcl(`length(${checkpoints}) > 0 ? each.value.instance_refresh.checkpoint_delay : null`),
  );
  asg.addOverride(`${p}.auto_rollback`, hcl('each.value.instance_refresh.auto_rollback'));
  asg.addOverride(`${p}.alarm_specification`, []);
  asg.addOverride(`${p}.dynamic.alarm_specification`, {
    for_each: hcl('length(each.value.instance_refresh.alarm_names) > 0 ? [1] : []'),
    content: { alarms: '${each.value.instance_refresh.alarm_names}' },
  });
}

function overrideCapacityProvider(group: NodeGroup): void {
  const p = 'auto_scaling_group_provider';
  const onOff = (condition: string) => hcl(`${condition} ? "ENABLED" : "DISABLED"`);
  group.capacityProvider.addOverride(
    `${p}.managed_termination_protection`,
    onOff('each.value.capacity_provider.managed_termination_protection'),
  );
  group.capacityProvider.addOverride(`${p}.managed_draining`, onOff('var.drain_owner == "ecs"'));
  group.capacityProvider.addOverride(
    `${p}.managed_scaling.status`,
    onOff('each.value.capacity_provider.managed_scaling'),
  );
}

/** Extra EBS volumes: a dynamic block next to the construct's root volume. */
function addExtraVolumes(group: NodeGroup): void {
  group.launchTemplate.addOverride('dynamic.block_device_mappings', {
    for_each: '${each.value.extra_volumes}',
    iterator: 'volume',
    content: {
      device_name: '${volume.value.device_name}',
      ebs: {
        volume_size: '${volume.value.size}',
        volume_type: 'gp3',
        iops: '${volume.value.iops}',
        throughput: '${volume.value.throughput}',
        encrypted: 'true',
        kms_key_id: '${volume.value.kms_key_id != null ? volume.value.kms_key_id : each.value.root_volume_kms_key_id}',
        delete_on_termination: 'true',
      },
    },
  });
}

/**
 * Checks that need the module-level variables too (a variable's validation may only refer to itself before Terraform
 * 1.9): the rules over the normalized node group, and the gate settings against each group's hooks.
 */
function addPreconditions(asg: AutoscalingGroup): void {
  const one = '{ (each.key) = each.value }';
  asg.addOverride(
    'lifecycle.precondition',
    [
      ...RESOLVED_NODE_GROUP_RULES.map((rule) => rulePrecondition(rule)),
      ...GATE_GROUP_RULES.map((rule) => ({
        condition: `alltrue([for k, g in ${one} : ${rule.hcl}])`,
        message: moduleMessage(rule.setting, rule.reason('${each.key}'), rule.fix('module')),
      })),
      // Between two gate settings, not about the group; checked here with the other gate rules (a variable's
      // validation may not read another variable before Terraform 1.9).
      {
        condition: FORCE_AFTER_MAX_DRAIN.hcl('var.force_drain_after_seconds', 'var.max_drain_seconds'),
        message: moduleMessage(
          FORCE_AFTER_MAX_DRAIN.variable,
          FORCE_AFTER_MAX_DRAIN.reason('max_drain_seconds'),
          FORCE_AFTER_MAX_DRAIN.fix('module'),
        ),
      },
    ].map((p) => ({ condition: `\${${p.condition}}`, error_message: p.message })),
  );
}
