/**
 * The parts of the plain Terraform module, in build order. A part receives the {@link ModuleContext} and creates its
 * constructs, variables and outputs; outputs of optional components are `null` when the component is off.
 */
import { Construct } from 'constructs';
import { TerraformLocal, Token } from 'cdktf';
import { DataAwsEcsCluster } from '@cdktf/provider-aws/lib/data-aws-ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { AwsContext } from '../../lib/aws-context';
import { defaultStrategyHcl, STRATEGY_RULES } from '../../lib/capacity-strategy';
import { EcsCluster } from '../../lib/ecs-cluster';
import { NodejsFunction } from '../../lib/function';
import { EcsInstanceRole } from '../../lib/node-group/instance-role';
import { moduleMessage } from '../../lib/rules';
import { MONITOR_VARIABLES, NOTIFICATION_VARIABLES, WATCHER_VARIABLES } from './control-plane-variables';
import { hcl } from './expressions';
import { ModuleContext, ModulePart } from './fleet-module';
import { createIteratedNodeGroup } from './iterated-node-group';
import { createModuleMonitor, createModuleNotifications, createModuleWatcher } from './module-control-plane';
import { createModuleGates } from './module-gates';
import { moduleBlockName } from './module-names';
import { toggle } from './toggles';

const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`module part order: ${what} is not built yet`);
  return value;
};

/** `{ key => <resource>[key].<attribute> }` over an iterated resource of the module. */
const byNodeGroup = (type: string, path: string, attribute: string) =>
  hcl(`{ for key, item in ${type}.${moduleBlockName(path)} : key => item.${attribute} }`);

/** The ECS cluster: created, or (create_cluster = false) an existing one read by name. */
export const clusterPart: ModulePart = (ctx) => {
  ctx.cluster = new EcsCluster(ctx.scope, 'cluster', {
    clusterName: ctx.vars.cluster_name.stringValue,
    containerInsights: ctx.vars.container_insights.stringValue as never,
  });
  toggle(ctx.cluster, 'var.create_cluster');
  const existing = new DataAwsEcsCluster(ctx.cluster, 'existing', { clusterName: ctx.vars.cluster_name.stringValue });
  existing.addOverride('count', '${var.create_cluster ? 0 : 1}');
  const cluster = `aws_ecs_cluster.${moduleBlockName('cluster/cluster')}`;
  const data = `data.aws_ecs_cluster.${moduleBlockName('cluster/existing')}`;
  // Locals whose both branches are references: whatever uses them is ordered after the cluster (the renderer
  // indexes the references: one(...[*].name), null on the branch not taken).
  const locals = new Construct(ctx.scope, 'cluster-locals');
  const name = new TerraformLocal(
    locals,
    'cluster_name',
    `\${var.create_cluster ? ${cluster}.name : ${data}.cluster_name}`,
  );
  const arn = new TerraformLocal(locals, 'cluster_arn', `\${var.create_cluster ? ${cluster}.arn : ${data}.arn}`);
  ctx.clusterNameHcl = 'local.cluster_name';
  Object.assign(ctx.cluster, { clusterName: name.asString, clusterArn: arn.asString });
  ctx.output('cluster_name', ctx.cluster.clusterName, 'Name of the ECS cluster.');
  ctx.output('cluster_arn', ctx.cluster.clusterArn, 'ARN of the ECS cluster.');
};

/** The instance role and profile shared by every node group, unless instance_profile_name names an existing one. */
export const instanceRolePart: ModulePart = (ctx) => {
  const role = new EcsInstanceRole(ctx.scope, 'instance-role', {
    namePrefix: hcl('substr("ecs-${local.name_prefix}", 0, 37)'),
  });
  toggle(role, 'var.instance_profile_name == null');
  ctx.instanceProfileName = hcl(
    `var.instance_profile_name != null ? var.instance_profile_name : ${roleRef('profile')}.name`,
  );
  ctx.output(
    'instance_role_name',
    hcl(`${roleRef('role')}.name`),
    "Name of the instances' IAM role (null with instance_profile_name).",
  );
  ctx.output(
    'instance_role_arn',
    hcl(`${roleRef('role')}.arn`),
    "ARN of the instances' IAM role (null with instance_profile_name).",
  );
  ctx.output('instance_profile_name', ctx.instanceProfileName, "Name of the container instances' instance profile.");
};

function roleRef(id: 'role' | 'profile'): string {
  const type = id === 'role' ? 'aws_iam_role' : 'aws_iam_instance_profile';
  return `${type}.${moduleBlockName(`instance-role/${id}`)}`;
}

/** The node groups: launch template, Auto Scaling group, hooks, capacity provider, AMI parameters per map entry. */
export const nodeGroupsPart: ModulePart = (ctx) => {
  ctx.nodeGroup = createIteratedNodeGroup(ctx.scope, {
    cluster: required(ctx.cluster, 'the cluster'),
    clusterNameHcl: required(ctx.clusterNameHcl, 'the cluster'),
    instanceProfileName: required(ctx.instanceProfileName, 'the instance profile'),
    nodeGroups: ctx.nodeGroups,
    autoNodeGroups: ctx.autoNodeGroups,
    drainedNodeGroups: ctx.drainedNodeGroups,
  });
  const g = 'node_group/';
  const outputs: [string, string, string, string, string][] = [
    ['autoscaling_group_names', 'aws_autoscaling_group', `${g}auto-scaling-group`, 'name', 'Auto Scaling group names'],
    ['autoscaling_group_arns', 'aws_autoscaling_group', `${g}auto-scaling-group`, 'arn', 'Auto Scaling group ARNs'],
    ['launch_template_ids', 'aws_launch_template', `${g}launch-template`, 'id', 'Launch template ids'],
    [
      'launch_template_latest_versions',
      'aws_launch_template',
      `${g}launch-template`,
      'latest_version',
      'Latest launch template versions (what the groups run)',
    ],
    [
      'capacity_provider_names',
      'aws_ecs_capacity_provider',
      `${g}capacity-provider`,
      'name',
      'Capacity provider names',
    ],
    [
      'approved_ami_parameter_names',
      'aws_ssm_parameter',
      `${g}approved-ami`,
      'name',
      'SSM parameters holding the approved AMI (ami_mode "auto" only; the AMI watcher writes them)',
    ],
    [
      'previous_ami_parameter_names',
      'aws_ssm_parameter',
      `${g}previous-ami`,
      'name',
      'SSM parameters holding the previously approved AMI, the rollback target (ami_mode "auto" only)',
    ],
  ];
  for (const [name, type, path, attribute, what] of outputs)
    ctx.output(name, byNodeGroup(type, path, attribute), `${what}, by node group.`);
};

const awsContextOf = (ctx: ModuleContext): AwsContext => (ctx.awsContext ??= new AwsContext(ctx.scope, 'aws-context'));

/** Notifications: an SNS topic unless notification_topic_arn is given; optional webhook. */
export const notificationsPart: ModulePart = (ctx) => {
  ctx.variables(NOTIFICATION_VARIABLES);
  ctx.notifications = createModuleNotifications(ctx.scope, awsContextOf(ctx));
  ctx.output(
    'sns_topic_arn',
    ctx.notifications.topicArn,
    'ARN of the SNS topic every function reports to (created, or notification_topic_arn).',
  );
};

/** Outputs every function has: ARN, log group, dead-letter queues (`null` when the function is not deployed). */
function functionOutputs(ctx: ModuleContext, name: string, fn: NodejsFunction, what: string): void {
  const events = fn.node.tryFindChild('EventsDeadLetterQueue')?.node.tryFindChild('Queue') as
    { arn: string } | undefined;
  ctx.output(`${name}_function_arn`, fn.functionArn, `ARN of the ${what} Lambda function${OFF[name] ?? '.'}`);
  ctx.output(`${name}_log_group_name`, fn.logGroupName, `Log group of the ${what}${OFF[name] ?? '.'}`);
  ctx.output(
    `${name}_dead_letter_queue_arns`,
    { invocations: fn.deadLetterQueueArn, events: events?.arn ?? null },
    `ARNs of the ${what}'s dead-letter queues (failed asynchronous invocations; undeliverable events): alarm on them.`,
  );
}

const OFF: Readonly<Record<string, string>> = {
  drain_gate: ' (null when drain_owner is "ecs").',
  ami_watcher: ' (null when enable_ami_watcher is false).',
  agent_monitor: ' (null when enable_agent_monitor is false).',
};

/** The launch and drain gates. */
export const gatesPart: ModulePart = (ctx) => {
  ctx.gates = createModuleGates(ctx.scope, {
    cluster: required(ctx.cluster, 'the cluster'),
    nodeGroup: required(ctx.nodeGroup, 'the node group'),
    nodeGroups: ctx.nodeGroups,
    awsContext: awsContextOf(ctx),
    vars: ctx.vars,
    notifications: required(ctx.notifications, 'the notifications'),
  });
  functionOutputs(ctx, 'launch_gate', ctx.gates.launchGate, 'launch gate');
  functionOutputs(ctx, 'drain_gate', ctx.gates.drainGate!, 'drain gate');
};

function controlPlaneProps(ctx: ModuleContext) {
  return {
    cluster: required(ctx.cluster, 'the cluster'),
    nodeGroup: required(ctx.nodeGroup, 'the node group'),
    nodeGroups: ctx.nodeGroups,
    autoNodeGroups: ctx.autoNodeGroups,
    awsContext: awsContextOf(ctx),
    notifications: required(ctx.notifications, 'the notifications'),
    logRetentionDays: ctx.vars.log_retention_days.numberValue,
  };
}

/** The AMI watcher: promotes new AMIs of the ami_mode "auto" node groups, reports them for the gitops ones. */
export const watcherPart: ModulePart = (ctx) => {
  const vars = ctx.variables(WATCHER_VARIABLES);
  const watcher = createModuleWatcher(ctx.scope, controlPlaneProps(ctx), vars);
  functionOutputs(ctx, 'ami_watcher', watcher.function, 'AMI watcher');
  ctx.output(
    'pause_parameter_name',
    watcher.pauseParameterName,
    'SSM parameter that pauses the AMI watcher: set it to "true" to stop AMI promotions.',
  );
};

/** The agent monitor: agent health, AMI drift, optional one-at-a-time agent updates. */
export const monitorPart: ModulePart = (ctx) => {
  const vars = ctx.variables(MONITOR_VARIABLES);
  const monitor = createModuleMonitor(ctx.scope, controlPlaneProps(ctx), vars);
  functionOutputs(ctx, 'agent_monitor', monitor.function, 'agent monitor');
};

/**
 * The cluster's capacity providers and default strategy: the node groups' providers plus extra_capacity_providers;
 * the default strategy as given or the per-architecture default (lib/capacity-strategy.ts), checked by its rules.
 */
export const capacityProvidersPart: ModulePart = (ctx) => {
  const cp = `aws_ecs_capacity_provider.${moduleBlockName('node_group/capacity-provider')}`;
  const given = 'var.default_capacity_provider_strategy';
  const strategy = `${given} != null ? ${given} : ${defaultStrategyHcl('local.node_groups')}`;
  const providers = new EcsClusterCapacityProviders(ctx.scope, 'capacity-providers', {
    clusterName: required(ctx.cluster, 'the cluster').clusterName,
    capacityProviders: Token.asList(
      hcl(`concat([for key, provider in ${cp} : provider.name], var.extra_capacity_providers)`),
    ),
  });
  providers.addOverride('count', '${var.manage_cluster_capacity_providers ? 1 : 0}');
  providers.addOverride('dynamic.default_capacity_provider_strategy', {
    for_each: `\${${strategy}}`,
    iterator: 'item',
    content: {
      capacity_provider:
        `\${contains(keys(${cp}), item.value.capacity_provider) ? ` +
        `${cp}[item.value.capacity_provider].name : item.value.capacity_provider}`,
      weight: '${item.value.weight}',
      base: '${item.value.base}',
    },
  });
  const s = `(${strategy})`;
  const known = 'concat(keys(local.node_groups), var.extra_capacity_providers)';
  providers.addOverride(
    'lifecycle.precondition',
    STRATEGY_RULES.map((rule) => ({
      condition: `\${${rule.hcl(s, known)}}`,
      error_message: moduleMessage('default_capacity_provider_strategy', rule.reason, rule.fix),
    })),
  );
  ctx.output(
    'default_capacity_provider_strategy',
    hcl(strategy),
    "The cluster's default capacity provider strategy (capacity_provider: node group key or extra provider).",
  );
};

/** The parts, in build order. */
export const MODULE_PARTS: readonly ModulePart[] = [
  clusterPart,
  instanceRolePart,
  nodeGroupsPart,
  notificationsPart,
  gatesPart,
  watcherPart,
  monitorPart,
  capacityProvidersPart,
];
