/**
 * The plain Terraform module, built from the constructs: a cdktf stack without provider or backend (both stripped at
 * render time), whose inputs are Terraform variables and whose node groups are ONE iterated NodeGroup with `for_each`
 * over `local.node_groups`. See docs/terraform-module.md for the design.
 *
 * The module is assembled from {@link MODULE_PARTS}: each part creates its constructs, variables and outputs through a
 * {@link ModuleContext}. Adding a construct to the module (watcher, monitor, notifications…) is one more part.
 */
import { Construct } from 'constructs';
import {
  App,
  MapTerraformIterator,
  TerraformDataSource,
  TerraformElement,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
} from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { Node } from 'constructs';
import { AwsContext } from '../aws-context';
import { DEFAULTS } from '../defaults';
import { EcsCluster } from '../ecs-cluster';
import { ecsOptimizedAmi, EcsOptimizedAmiSpec } from '../ami/ecs-optimized-parameters';
import { EcsInstanceRole } from '../node-group/instance-role';
import { NodeGroup } from '../node-group/node-group';
import { hcl, hclMap } from './expressions';
import { createIteratedNodeGroup } from './iterated-node-group';
import {
  addModuleWebhook,
  createModuleMonitor,
  createModuleNotifications,
  createModuleWatcher,
  MONITOR_VARIABLES,
  NOTIFICATION_VARIABLES,
  WATCHER_VARIABLES,
} from './module-control-plane';
import { createModuleGates, ModuleGates } from './module-gates';
import { Notifications } from '../notifications';
import { declareVariables, MODULE_VARIABLES, VariableSpec } from './module-variables';

/** What a module part gets: the stack, the variables, what earlier parts built, and helpers to declare more. */
export interface ModuleContext {
  readonly scope: Construct;
  readonly vars: Record<string, TerraformVariable>;
  /** Iterator over the normalized node groups (`local.node_groups`). */
  readonly nodeGroups: MapTerraformIterator;
  /** Iterator over the node groups in ami_mode "auto" (`local.auto_node_groups`). */
  readonly autoNodeGroups: MapTerraformIterator;
  /** Tags for every resource: `merge(var.tags, { "ecs-ami-rollout:cluster" = var.cluster_name })`. */
  readonly tags: Record<string, string>;
  cluster?: EcsCluster;
  instanceProfileName?: string;
  nodeGroup?: NodeGroup;
  gates?: ModuleGates;
  /** Partition, region and account data sources, shared by every part. */
  awsContext?: AwsContext;
  notifications?: Notifications;
  /** Declares additional variables (a part's own inputs). */
  variables(specs: Readonly<Record<string, VariableSpec>>): Record<string, TerraformVariable>;
  /** Declares an output; every output needs a description. */
  output(name: string, value: unknown, description: string): void;
}

export type ModulePart = (ctx: ModuleContext) => void;

const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`module part order: ${what} is not built yet`);
  return value;
};

/** The ECS cluster (created; adopting an existing cluster is not offered by the module). */
export const clusterPart: ModulePart = (ctx) => {
  ctx.cluster = new EcsCluster(ctx.scope, 'cluster', {
    clusterName: ctx.vars.cluster_name.stringValue,
    containerInsights: ctx.vars.container_insights.stringValue as never,
    tags: ctx.tags,
  });
  ctx.output('cluster_name', ctx.cluster.clusterName, 'Name of the ECS cluster.');
  ctx.output('cluster_arn', ctx.cluster.clusterArn, 'ARN of the ECS cluster.');
};

/** The instance role and profile shared by every node group. */
export const instanceRolePart: ModulePart = (ctx) => {
  const role = new EcsInstanceRole(ctx.scope, 'instance-role', {
    namePrefix: hcl('substr("ecs-${var.cluster_name}", 0, 37)'),
    tags: ctx.tags,
  });
  ctx.instanceProfileName = role.instanceProfileName;
  ctx.output(
    'instance_role_name',
    role.role.name,
    "Name of the container instances' IAM role (attach extra policies here).",
  );
  ctx.output('instance_profile_name', role.instanceProfileName, "Name of the container instances' instance profile.");
};

/** The node groups: launch template, Auto Scaling group, capacity provider (and AMI parameters) per map entry. */
export const nodeGroupsPart: ModulePart = (ctx) => {
  ctx.nodeGroup = createIteratedNodeGroup(ctx.scope, {
    cluster: required(ctx.cluster, 'the cluster'),
    instanceProfileName: required(ctx.instanceProfileName, 'the instance profile'),
    nodeGroups: ctx.nodeGroups,
    autoNodeGroups: ctx.autoNodeGroups,
  });
  const each = (resource: string, attribute: string) =>
    hcl(`{ for key, group in ${resource} : key => group.${attribute} }`);
  ctx.output(
    'autoscaling_group_names',
    each('aws_autoscaling_group.node_group', 'name'),
    'Auto Scaling group names, by node group.',
  );
  ctx.output(
    'autoscaling_group_arns',
    each('aws_autoscaling_group.node_group', 'arn'),
    'Auto Scaling group ARNs, by node group.',
  );
  ctx.output(
    'launch_template_ids',
    each('aws_launch_template.node_group', 'id'),
    'Launch template ids, by node group.',
  );
  ctx.output(
    'capacity_provider_names',
    each('aws_ecs_capacity_provider.node_group', 'name'),
    'ECS capacity provider names, by node group.',
  );
  ctx.output(
    'approved_ami_parameter_names',
    each('aws_ssm_parameter.approved_ami', 'name'),
    'SSM parameters holding the approved AMI, by node group (ami_mode "auto" only; the AMI watcher writes them).',
  );
  ctx.output(
    'previous_ami_parameter_names',
    each('aws_ssm_parameter.previous_ami', 'name'),
    'SSM parameters holding the previously approved AMI (the rollback target), by node group (ami_mode "auto" only).',
  );
};

const awsContextOf = (ctx: ModuleContext): AwsContext => (ctx.awsContext ??= new AwsContext(ctx.scope, 'aws-context'));

/**
 * Notifications: an SNS topic (encrypted with alias/aws/sns) unless notification_topic_arn is given; optional webhook.
 */
export const notificationsPart: ModulePart = (ctx) => {
  ctx.variables(NOTIFICATION_VARIABLES);
  ctx.notifications = createModuleNotifications(ctx.scope, awsContextOf(ctx));
  ctx.output(
    'sns_topic_arn',
    ctx.notifications.topicArn,
    'ARN of the SNS topic every function reports to (created, or notification_topic_arn).',
  );
};

/** The launch and drain gates. */
export const gatesPart: ModulePart = (ctx) => {
  const notifications = required(ctx.notifications, 'the notifications');
  ctx.gates = createModuleGates(ctx.scope, {
    cluster: required(ctx.cluster, 'the cluster'),
    nodeGroup: required(ctx.nodeGroup, 'the node group'),
    nodeGroups: ctx.nodeGroups,
    awsContext: awsContextOf(ctx),
    vars: ctx.vars,
    notifications,
  });
  for (const fn of ctx.gates.gates.gates()) addModuleWebhook(fn, awsContextOf(ctx));
  ctx.output(
    'launch_gate_function_arn',
    ctx.gates.gates.launchGate.functionArn,
    'ARN of the launch gate Lambda function.',
  );
  ctx.output(
    'drain_gate_function_arn',
    ctx.gates.gates.drainGate!.functionArn,
    'ARN of the drain gate Lambda function (its rules are disabled when drain_owner is "ecs").',
  );
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
  ctx.output(
    'ami_watcher_function_arn',
    watcher.function.functionArn,
    'ARN of the AMI watcher Lambda function (its rules are disabled when enable_ami_watcher is false).',
  );
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
  ctx.output(
    'agent_monitor_function_arn',
    monitor.function.functionArn,
    'ARN of the agent monitor Lambda function (its rule is disabled when enable_agent_monitor is false).',
  );
};

/** The cluster's capacity providers and default strategy: every node group, weights and base as configured. */
export const capacityProvidersPart: ModulePart = (ctx) => {
  const providers = new EcsClusterCapacityProviders(ctx.scope, 'capacity-providers', {
    clusterName: required(ctx.cluster, 'the cluster').clusterName,
    capacityProviders: Token.asList(hcl('[for key, provider in aws_ecs_capacity_provider.node_group : provider.name]')),
  });
  providers.addOverride('dynamic.default_capacity_provider_strategy', {
    for_each: '${local.node_groups}',
    iterator: 'group',
    content: {
      capacity_provider: '${aws_ecs_capacity_provider.node_group[group.key].name}',
      weight: '${group.value.capacity_provider.weight}',
      base: '${group.value.capacity_provider.base}',
    },
  });
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

/** Terraform names of resources whose construct path alone would give a clumsy name (path relative to the stack). */
const EXPLICIT_NAMES: Readonly<Record<string, string>> = {
  'cluster/cluster': 'this',
  'capacity-providers': 'this',
  'node_group/ami-parameter': 'node_group_source_ami',
  'node_group/approved-ami': 'approved_ami',
  'node_group/previous-ami': 'previous_ami',
  'node_group/launch-template': 'node_group',
  'node_group/auto-scaling-group': 'node_group',
  'node_group/capacity-provider': 'node_group',
  'gates/launch-gate/Function': 'launch_gate',
  'gates/drain-gate/Function': 'drain_gate',
  'notifications/topic': 'notifications',
  'ami-watcher/ami-watcher/Function': 'ami_watcher',
  'ami-watcher/state': 'watcher_state',
  'agent-monitor/agent-monitor/Function': 'agent_monitor',
};

const snake = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();

function ecsOptimizedParameter(architecture: 'x86_64' | 'arm64'): string {
  return (ecsOptimizedAmi('al2023', 'standard', architecture) as EcsOptimizedAmiSpec).parameterName;
}

/** Normalization of `var.node_groups`: every default the construct would apply, in one local. */
function normalizedNodeGroups(): string {
  const d = DEFAULTS.nodeGroup;
  const arm = (yes: string, no: string) => `g.architecture == "arm64" ? ${yes} : ${no}`;
  const amiParameter = arm(
    JSON.stringify(ecsOptimizedParameter('arm64')),
    JSON.stringify(ecsOptimizedParameter('x86_64')),
  );
  const instanceTypes = arm(JSON.stringify(d.arm64InstanceTypes), JSON.stringify(d.instanceTypes));
  const gitops = '(g.ami_mode != null ? g.ami_mode : var.ami_mode) == "gitops"';
  return `\${{ for k, g in var.node_groups : k => merge(g, {
    ami_mode           = g.ami_mode != null ? g.ami_mode : var.ami_mode
    ami_ssm_parameter  = g.ami_ssm_parameter != null ? g.ami_ssm_parameter : (${amiParameter})
    instance_types     = g.instance_types != null ? g.instance_types : (${instanceTypes})
    subnet_ids         = g.subnet_ids != null ? g.subnet_ids : var.subnet_ids
    security_group_ids = g.security_group_ids != null ? g.security_group_ids : var.security_group_ids
    user_data          = g.user_data != null ? g.user_data : ""
    instance_refresh   = merge(g.instance_refresh, {
      auto_rollback = g.instance_refresh.auto_rollback != null ? g.instance_refresh.auto_rollback : ${gitops}
    })
  }) }}`;
}

/** The module as a cdktf stack. */
export class EcsFleetModule extends TerraformStack {
  private readonly names = new Map<string, string>();

  constructor(scope: Construct, id: string, parts: readonly ModulePart[] = MODULE_PARTS) {
    super(scope, id);
    // Only to satisfy cdktf's provider check; the renderer removes provider blocks (the caller configures AWS).
    new AwsProvider(this, 'aws', {});
    const vars = declareVariables(this, MODULE_VARIABLES);
    const locals = new Construct(this, 'locals');
    const nodeGroups = new TerraformLocal(locals, 'node_groups', normalizedNodeGroups());
    const autoNodeGroups = new TerraformLocal(
      locals,
      'auto_node_groups',
      '${{ for k, g in local.node_groups : k => g if g.ami_mode == "auto" }}',
    );
    new TerraformLocal(locals, 'name_prefix', '${var.name_prefix != null ? var.name_prefix : var.cluster_name}');
    const outputs: [string, unknown, string][] = [];
    const ctx: ModuleContext = {
      scope: this,
      vars,
      nodeGroups: TerraformIterator.fromMap(nodeGroups.asAnyMap),
      autoNodeGroups: TerraformIterator.fromMap(autoNodeGroups.asAnyMap),
      tags: hclMap('merge(var.tags, { "ecs-ami-rollout:cluster" = var.cluster_name })'),
      variables: (specs) => declareVariables(this, specs),
      output: (name, value, description) => outputs.push([name, value, description]),
    };
    parts.forEach((part) => part(ctx));
    const outputScope = new Construct(this, 'outputs');
    for (const [name, value, description] of outputs)
      new TerraformOutput(outputScope, name, { value, description, staticId: true });
  }

  /** Readable, stable Terraform names: the explicit table, else the snake_cased construct path. */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    const relative = node.scopes
      .slice(2)
      .map((s) => s.node.id)
      .join('/');
    // Locals, outputs and variables keep their ids (locals and outputs live in scopes only so their ids cannot clash).
    const named =
      element instanceof TerraformLocal || element instanceof TerraformOutput || element instanceof TerraformVariable;
    const name = named ? node.id : (EXPLICIT_NAMES[relative] ?? snake(relative));
    const kind = element instanceof TerraformDataSource ? 'data.' : '';
    const type =
      kind +
      String(
        (element as unknown as { terraformResourceType?: string }).terraformResourceType ?? element.constructor.name,
      );
    const key = `${type}.${name}`;
    const owner = this.names.get(key);
    if (owner !== undefined && owner !== relative)
      throw new Error(`module names collide: ${key} for ${owner} and ${relative}`);
    this.names.set(key, relative);
    return name;
  }
}

/** Builds the module stack in a fresh app (validation on: cdktf's own checks still run). */
export function buildFleetModule(outdir: string, parts?: readonly ModulePart[]): { app: App; stack: EcsFleetModule } {
  const app = new App({
    outdir,
    skipValidation: false,
    context: { excludeStackIdFromLogicalIds: 'true', allowSepCharsInLogicalIds: 'true' },
  });
  const stack = new EcsFleetModule(app, 'terraform-module', parts);
  return { app, stack };
}
