/**
 * The module's core input variables. Names follow the provider's attributes where one maps; every variable is typed,
 * described and defaulted from lib/ (defaults.ts, GATE_DEFAULTS), and every validation is a rule of lib/ rendered here
 * (setting-rules.ts, node-group/*-rules.ts): this file binds, it states no limit.
 */
import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { DEFAULTS } from '../../lib/defaults';
import { GATE_DEFAULTS } from '../../lib/gates/gate-settings';
import { NODEJS_FUNCTION_DEFAULTS } from '../../lib/function/props';
import { moduleMessage, renderText } from '../../lib/rules';
import { propOf } from '../../lib/node-group/node-group-attributes';
import { NODE_GROUP_RULES } from '../../lib/node-group/node-group-rules';
import { SETTING_RULES, SettingRule, settingValidation } from '../../lib/setting-rules';
import { STRATEGY_RULES } from '../../lib/capacity-strategy';
import { nodeGroupObjectType } from './node-group-schema';
import { MODULE_RULE_CONTEXT, nodeGroupValidations, ValidationBlock } from './node-group-rules';

export interface VariableSpec {
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  /** `nullable = false` for variables with a non-null default (a null would bypass it). */
  readonly nullable?: boolean;
  readonly validation?: readonly ValidationBlock[];
}

/** A variable validated by one setting rule (`default: null` variables let null pass). */
export function settingVariable(
  rule: SettingRule,
  spec: Omit<VariableSpec, 'validation'>,
  more: readonly ValidationBlock[] = [],
): VariableSpec {
  return { ...spec, validation: [settingValidation(rule, spec.default === null), ...more] };
}

/** A module-level list validated by the node group rule of the same attribute (subnet and security group ids). */
function asNodeGroupRule(variable: 'subnet_ids' | 'security_group_ids'): ValidationBlock[] {
  return NODE_GROUP_RULES.filter((rule) => rule.attribute === variable).map((rule) => ({
    condition:
      `alltrue([for k, g in { module = { ${variable} = var.${variable} } } : ` + `${rule.hcl(MODULE_RULE_CONTEXT)}])`,
    message: moduleMessage(
      variable,
      renderText(rule.reason(MODULE_RULE_CONTEXT), 'module', propOf),
      renderText(rule.fix(MODULE_RULE_CONTEXT), 'module', propOf),
    ),
  }));
}

const R = SETTING_RULES;

/** Every core variable of the module, in documentation order. */
export const MODULE_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  cluster_name: settingVariable(R.cluster_name, {
    type: 'string',
    description:
      "Name of the ECS cluster (created, or adopted with create_cluster = false). Also names the node groups' " +
      'resources: `<cluster_name>-<node group>`.',
  }),
  create_cluster: {
    type: 'bool',
    default: true,
    nullable: false,
    description:
      'Create the ECS cluster. false adopts an existing cluster named cluster_name (read with a data source; ' +
      'plan fails early when it does not exist).',
  },
  name_prefix: settingVariable(R.name_prefix, {
    type: 'string',
    default: null,
    description:
      'Prefix of the names of the functions, their roles, log groups, queues and rules (unique per account and ' +
      'region). Default: cluster_name (which must then be at most 32 characters).',
  }),
  container_insights: settingVariable(R.container_insights, {
    type: 'string',
    default: DEFAULTS.cluster.containerInsights,
    nullable: false,
    description: 'CloudWatch Container Insights of a created cluster: enabled, enhanced or disabled.',
  }),
  subnet_ids: {
    type: 'list(string)',
    default: [],
    nullable: false,
    description: 'Default (private) subnets of node groups that set no `subnet_ids`.',
    validation: asNodeGroupRule('subnet_ids'),
  },
  security_group_ids: {
    type: 'list(string)',
    default: [],
    nullable: false,
    description: 'Default security groups of node groups that set no `security_group_ids`.',
    validation: asNodeGroupRule('security_group_ids'),
  },
  ami_mode: settingVariable(R.ami_mode, {
    type: 'string',
    default: DEFAULTS.nodeGroup.amiMode,
    nullable: false,
    description:
      'Default AMI owner of the node groups: `auto` (the AMI watcher promotes new AMIs through an SSM parameter; ' +
      '`terraform plan` stays clean) or `gitops` (the launch template holds the concrete AMI id; each new AMI is ' +
      'a reviewed plan, rolled out by instance refresh with auto rollback).',
  }),
  drain_owner: settingVariable(R.drain_owner, {
    type: 'string',
    default: DEFAULTS.capacityProvider.drainOwner,
    nullable: false,
    description:
      'Who drains instances before termination: `lambda` (the drain gate and its hooks; ECS managed draining ' +
      'off) or `ecs` (ECS managed draining on; no drain gate is deployed). Switching is an in-place update.',
  }),
  node_groups: {
    type: `map(${nodeGroupObjectType()})`,
    description:
      'The node groups, keyed by name (lowercase letters, digits, inner hyphens; ≤ 32): one launch template, ' +
      'Auto Scaling group and capacity provider each. Attributes mirror the NodeGroup construct; see the table ' +
      'below.',
    validation: nodeGroupValidations(),
  },
  default_capacity_provider_strategy: {
    type: 'list(object({ capacity_provider = string, weight = optional(number, 1), base = optional(number, 0) }))',
    default: null,
    validation: STRATEGY_RULES.filter((rule) => rule.selfContained).map((rule) => ({
      condition:
        'var.default_capacity_provider_strategy == null ? true : ' +
        `(${rule.hcl('var.default_capacity_provider_strategy', '[]')})`,
      message: moduleMessage('default_capacity_provider_strategy', rule.reason, rule.fix),
    })),
    description:
      "The cluster's default capacity provider strategy, for services that set none; capacity_provider is a node " +
      'group key or one of extra_capacity_providers. Default: the node groups of one architecture (x86_64 when ' +
      'there is one, else arm64) with their capacity_provider weight and base, so such services never mix ' +
      'architectures.',
  },
  extra_capacity_providers: {
    type: 'list(string)',
    default: [],
    nullable: false,
    description:
      "Capacity providers the cluster lists besides the node groups' (e.g. FARGATE, FARGATE_SPOT, or providers " +
      'managed elsewhere). The list is authoritative: anything not listed is detached from the cluster.',
  },
  manage_cluster_capacity_providers: {
    type: 'bool',
    default: true,
    nullable: false,
    description:
      "Manage the cluster's capacity provider list and default strategy (aws_ecs_cluster_capacity_providers). " +
      'Set false when another configuration owns them (e.g. an ECS cluster module): then attach the ' +
      'capacity_provider_names output there.',
  },
  instance_profile_name: {
    type: 'string',
    default: null,
    description:
      'Existing instance profile of the container instances. Default: the module creates a role and profile with ' +
      "the ECS agent's and Session Manager's managed policies.",
  },
  iam_role_path: {
    type: 'string',
    default: '/',
    nullable: false,
    description: 'IAM path of every role the module creates.',
  },
  iam_permissions_boundary: {
    type: 'string',
    default: null,
    description: 'ARN of the permissions boundary of every role the module creates. Default: none.',
  },
  join_deadline_seconds: settingVariable(R.join_deadline_seconds, {
    type: 'number',
    default: GATE_DEFAULTS.joinDeadlineSeconds,
    nullable: false,
    description: 'Seconds a new instance may take to join the cluster before the launch gate abandons it.',
  }),
  max_drain_seconds: settingVariable(R.max_drain_seconds, {
    type: 'number',
    default: GATE_DEFAULTS.maxDrainSeconds,
    nullable: false,
    description:
      'Seconds after which a drain that has not finished is reported and held (heartbeats continue up to the ' +
      "terminate hook's global timeout, with an alert now and then hourly); never forced unless " +
      "force_drain_after_seconds is set. At most the terminate hook's global timeout.",
  }),
  force_drain_after_seconds: settingVariable(R.force_drain_after_seconds, {
    type: 'number',
    default: null,
    nullable: true,
    description:
      'Opt-in: seconds after which the drain gate stops waiting and lets the instance terminate, stopping the ' +
      'tasks still on it undrained (alert, DrainsForced metric). null (default): never forced. At least ' +
      "max_drain_seconds and at most the terminate hook's global timeout.",
  }),
  standalone_task_grace_seconds: settingVariable(R.standalone_task_grace_seconds, {
    type: 'number',
    default: GATE_DEFAULTS.standaloneTaskGraceSeconds,
    nullable: false,
    description: 'Seconds after the drain starts before standalone tasks are stopped; 0 = never stop them.',
  }),
  require_healthy_instance: {
    type: 'bool',
    default: GATE_DEFAULTS.requireHealthyInstance,
    nullable: false,
    description: "The launch gate also waits for the container instance's health to be OK.",
  },
  sweep_schedule: settingVariable(R.sweep_schedule, {
    type: 'string',
    default: GATE_DEFAULTS.sweepSchedule,
    nullable: false,
    description:
      "Schedule of the gates' sweep (the safety net for lost events); below half the shortest heartbeat timeout.",
  }),
  lambda_subnet_ids: {
    type: 'list(string)',
    default: [],
    nullable: false,
    description:
      'Subnets to run the functions in (they then need a route to the AWS APIs: NAT or VPC endpoints). Default: ' +
      'no VPC.',
  },
  lambda_security_group_ids: {
    type: 'list(string)',
    default: [],
    nullable: false,
    description: 'Security groups of the functions when lambda_subnet_ids is set.',
  },
  lambda_kms_key_arn: {
    type: 'string',
    default: null,
    description: "Customer managed KMS key of the functions' environment variables. Default: aws/lambda.",
  },
  log_group_kms_key_arn: {
    type: 'string',
    default: null,
    description:
      "KMS key of the functions' log groups (its key policy must allow CloudWatch Logs). " +
      "Default: CloudWatch Logs' encryption.",
  },
  log_retention_days: settingVariable(R.log_retention_days, {
    type: 'number',
    default: NODEJS_FUNCTION_DEFAULTS.logRetentionDays,
    nullable: false,
    description: 'Log retention of the Lambda functions, in days (a value CloudWatch Logs accepts).',
  }),
  tags: {
    type: 'map(string)',
    default: {},
    nullable: false,
    description: 'Tags for every resource the module creates that takes tags.',
  },
};

/** Declares every variable in `scope` (ids = variable names). */
export function declareVariables(
  scope: Construct,
  variables: Readonly<Record<string, VariableSpec>>,
): Record<string, TerraformVariable> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, spec]) => {
      const variable = new TerraformVariable(scope, name, {
        type: spec.type,
        description: spec.description,
        default: spec.default === null ? undefined : spec.default,
        nullable: spec.nullable,
        validation: spec.validation?.map((v) => ({ condition: `\${${v.condition}}`, errorMessage: v.message })),
      });
      // cdktf cannot render a null default itself; an override can (optional variable, null unless set).
      if (spec.default === null) variable.addOverride('default', null);
      return [name, variable];
    }),
  );
}
