/**
 * The plain Terraform module, built from the constructs: a cdktf stack without provider or backend (both stripped at
 * render time), whose inputs are Terraform variables and whose node groups are ONE iterated NodeGroup with `for_each`
 * over `local.node_groups`. See docs/terraform-module.md for the design.
 *
 * The module is assembled from MODULE_PARTS (module-parts.ts): each part creates its constructs, variables and outputs
 * through a {@link ModuleContext}.
 */
import { Construct, Node } from 'constructs';
import {
  App,
  MapTerraformIterator,
  TerraformElement,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
} from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsContext } from '../../lib/aws-context';
import { DEFAULTS } from '../../lib/defaults';
import { EcsCluster } from '../../lib/ecs-cluster';
import { ecsOptimizedAmi, EcsOptimizedAmiSpec } from '../../lib/ami/ecs-optimized-parameters';
import { NodeGroup } from '../../lib/node-group/node-group';
import { userDataHcl } from '../../lib/node-group/node-group-formats';
import { Notifications } from '../../lib/notifications';
import { tagResources } from '../../lib/tagging';
import { LifecycleGates } from '../../lib/gates/lifecycle-gates';
import { hclMap } from './expressions';
import { moduleBlockName } from './module-names';
import { declareVariables, MODULE_VARIABLES, VariableSpec } from './module-variables';

/** What a module part gets: the stack, the variables, what earlier parts built, and helpers to declare more. */
export interface ModuleContext {
  readonly scope: Construct;
  readonly vars: Record<string, TerraformVariable>;
  /** Iterator over the normalized node groups (`local.node_groups`). */
  readonly nodeGroups: MapTerraformIterator;
  /** Iterator over the node groups in ami_mode "auto" (`local.auto_node_groups`). */
  readonly autoNodeGroups: MapTerraformIterator;
  /** Iterator over the node groups the drain gate drains (`local.drained_node_groups`). */
  readonly drainedNodeGroups: MapTerraformIterator;
  cluster?: EcsCluster;
  /** The cluster name as an HCL expression (created or adopted cluster). */
  clusterNameHcl?: string;
  instanceProfileName?: string;
  nodeGroup?: NodeGroup;
  gates?: LifecycleGates;
  /** Partition, region and account data sources, shared by every part. */
  awsContext?: AwsContext;
  notifications?: Notifications;
  /** Declares additional variables (a part's own inputs). */
  variables(specs: Readonly<Record<string, VariableSpec>>): Record<string, TerraformVariable>;
  /** Declares an output; every output needs a description. */
  output(name: string, value: unknown, description: string): void;
}

export type ModulePart = (ctx: ModuleContext) => void;

function ecsOptimizedParameter(architecture: 'x86_64' | 'arm64'): string {
  return (ecsOptimizedAmi('al2023', 'standard', architecture) as EcsOptimizedAmiSpec).parameterName;
}

/** Normalization of `var.node_groups`: every default the construct would apply, in one local. */
function normalizedNodeGroups(): string {
  const d = DEFAULTS.nodeGroup;
  const arm = (yes: string, no: string) => `g.architecture == "arm64" ? ${yes} : ${no}`;
  const amiMode = '(g.ami_mode != null ? g.ami_mode : var.ami_mode)';
  const parameters = arm(
    JSON.stringify(ecsOptimizedParameter('arm64')),
    JSON.stringify(ecsOptimizedParameter('x86_64')),
  );
  const types = arm(JSON.stringify(d.arm64InstanceTypes), JSON.stringify(d.instanceTypes));
  return `\${{ for k, g in var.node_groups : k => merge(g, {
    ami_mode           = ${amiMode}
    ami_ssm_parameter  = g.ami_ssm_parameter != null ? g.ami_ssm_parameter : (${parameters})
    instance_types     = g.instance_types != null ? g.instance_types : (${types})
    subnet_ids         = g.subnet_ids != null ? g.subnet_ids : var.subnet_ids
    security_group_ids = g.security_group_ids != null ? g.security_group_ids : var.security_group_ids
    user_data          = g.user_data != null ? ${userDataHcl('g.user_data')} : ""
    instance_refresh   = merge(g.instance_refresh, {
      auto_rollback = (g.instance_refresh.auto_rollback != null ?
        g.instance_refresh.auto_rollback : ${amiMode} == "gitops")
    })
  }) }}`;
}

/** The module as a cdktf stack. */
export class EcsFleetModule extends TerraformStack {
  constructor(scope: Construct, id: string, parts: readonly ModulePart[]) {
    super(scope, id);
    // Only to satisfy cdktf's provider check; the renderer removes provider blocks (the caller configures AWS).
    new AwsProvider(this, 'aws', {});
    const vars = declareVariables(this, MODULE_VARIABLES);
    const locals = new Construct(this, 'locals');
    const nodeGroups = new TerraformLocal(locals, 'node_groups', normalizedNodeGroups());
    const local = (name: string, expression: string) =>
      TerraformIterator.fromMap(new TerraformLocal(locals, name, expression).asAnyMap);
    new TerraformLocal(locals, 'name_prefix', '${var.name_prefix != null ? var.name_prefix : var.cluster_name}');
    const outputs: [string, unknown, string][] = [];
    const ctx: ModuleContext = {
      scope: this,
      vars,
      nodeGroups: TerraformIterator.fromMap(nodeGroups.asAnyMap),
      autoNodeGroups: local(
        'auto_node_groups',
        '${{ for k, g in local.node_groups : k => g if g.ami_mode == "auto" }}',
      ),
      drainedNodeGroups: local('drained_node_groups', '${var.drain_owner == "lambda" ? local.node_groups : {}}'),
      variables: (specs) => declareVariables(this, specs),
      output: (name, value, description) => outputs.push([name, value, description]),
    };
    parts.forEach((part) => part(ctx));
    // Tags on every taggable resource; the node group's resources carry their own (module tags included).
    tagResources(this, hclMap('merge(var.tags, { "ecs-ami-rollout:cluster" = var.cluster_name })'));
    for (const role of this.node.findAll().filter((c): c is IamRole => c instanceof IamRole)) {
      role.addOverride('path', '${var.iam_role_path}');
      role.addOverride('permissions_boundary', '${var.iam_permissions_boundary}');
    }
    const outputScope = new Construct(this, 'outputs');
    for (const [name, value, description] of outputs)
      new TerraformOutput(outputScope, name, { value, description, staticId: true });
  }

  /** The explicit name of every block (module-names.ts); locals, outputs and variables keep their ids. */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    const named =
      element instanceof TerraformLocal || element instanceof TerraformOutput || element instanceof TerraformVariable;
    if (named) return node.id;
    const relative = node.scopes
      .slice(2)
      .map((s) => s.node.id)
      .join('/');
    return moduleBlockName(relative);
  }
}

/** Builds the module stack in a fresh app (validation on: cdktf's own checks still run). */
export function buildFleetModule(outdir: string, parts: readonly ModulePart[]): { app: App; stack: EcsFleetModule } {
  const app = new App({
    outdir,
    skipValidation: false,
    context: { excludeStackIdFromLogicalIds: 'true', allowSepCharsInLogicalIds: 'true' },
  });
  const stack = new EcsFleetModule(app, 'terraform-module', parts);
  return { app, stack };
}
