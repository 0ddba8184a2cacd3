/**
 * The module's input variables: names follow the provider's attributes where one maps (snake_case), every variable is
 * typed, described, defaulted from lib/defaults.ts / GATE_DEFAULTS, and validated with the constructs' wording.
 */
import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { DEFAULTS } from '../defaults';
import { GATE_DEFAULTS } from '../gates/gate-settings';
import { LOG_RETENTION_DAYS } from '../function/props';
import { nodeGroupObjectType } from './node-group-schema';
import { NODE_GROUP_RULES, ruleCondition, ruleMessage } from './node-group-rules';

export interface VariableSpec {
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  /** `nullable = false` for variables with a non-null default (a null would bypass it). */
  readonly nullable?: boolean;
  readonly validation?: readonly { readonly condition: string; readonly message: string }[];
}

export const message = (variable: string, reason: string, fix: string) =>
  `Invalid ${variable}: ${reason}. Fix: ${fix}.`;
export const intRange = (variable: string, min: number, max: number, fix: string) => ({
  condition: `floor(var.${variable}) == var.${variable} && var.${variable} >= ${min} && var.${variable} <= ${max}`,
  message: message(variable, `must be an integer between ${min} and ${max}`, fix),
});
const enumOf = (variable: string, values: readonly string[], fix: string) => ({
  condition: `contains(${JSON.stringify(values)}, var.${variable})`,
  message: message(variable, `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, fix),
});

/** An EventBridge schedule expression (rate or cron). */
export const scheduleRule = (variable: string) => ({
  condition:
    `can(regex("^(rate\\\\(1 (minute|hour|day)\\\\)|rate\\\\(([2-9]|[1-9][0-9]+) ` +
    `(minutes|hours|days)\\\\)|cron\\\\(.+\\\\))$", var.${variable}))`,
  message: message(
    variable,
    'must be an EventBridge schedule such as "rate(1 minute)", "rate(5 minutes)" or "cron(...)"',
    'fix the expression',
  ),
});

/** Every variable of the module, in documentation order. */
export const MODULE_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  cluster_name: {
    type: 'string',
    description:
      'Name of the ECS cluster to create (letters, digits, hyphens, underscores; ' +
      "1–255). Also names the node groups' resources: `<cluster_name>-<node group>`.",
    validation: [
      {
        condition: 'can(regex("^[a-zA-Z0-9_-]{1,255}$", var.cluster_name))',
        message: message(
          'cluster_name',
          'may only contain letters, digits, hyphens and underscores (1–255 characters)',
          'use a name such as "prod-web"',
        ),
      },
    ],
  },
  name_prefix: {
    type: 'string',
    default: null,
    description:
      'Prefix of the Lambda functions, queues and rules (≤ 32 characters, unique per ' +
      'account and region). Default: cluster_name (which must then be ≤ 32 characters).',
    validation: [
      {
        condition: 'var.name_prefix == null ? true : can(regex("^[a-zA-Z0-9_-]{1,32}$", var.name_prefix))',
        message: message('name_prefix', 'must be 1–32 letters, digits, hyphens or underscores', 'shorten name_prefix'),
      },
    ],
  },
  container_insights: {
    type: 'string',
    default: DEFAULTS.cluster.containerInsights,
    nullable: false,
    description: 'CloudWatch Container Insights of the cluster: enabled, enhanced or disabled.',
    validation: [
      enumOf('container_insights', ['enabled', 'disabled', 'enhanced'], 'use "enabled", "enhanced" or "disabled"'),
    ],
  },
  subnet_ids: {
    type: 'list(string)',
    default: [],
    nullable: false,
    description: 'Default (private) subnets of node groups that set no `subnet_ids`.',
  },
  security_group_ids: {
    type: 'list(string)',
    default: [],
    nullable: false,
    description: 'Default security groups of node groups that set no `security_group_ids`.',
    validation: [
      {
        condition: 'length(var.security_group_ids) <= 5',
        message: message(
          'security_group_ids',
          'a network interface takes at most 5 security groups by default',
          'merge the rules into fewer groups',
        ),
      },
    ],
  },
  ami_mode: {
    type: 'string',
    default: DEFAULTS.nodeGroup.amiMode,
    nullable: false,
    description:
      'Default AMI owner of the node groups: `auto` (the AMI watcher promotes new AMIs through an SSM ' +
      'parameter; `terraform plan` stays clean) or `gitops` (the launch template holds the concrete ' +
      'AMI id; each new AMI is a reviewed plan, rolled out by instance refresh with auto rollback).',
    validation: [enumOf('ami_mode', ['auto', 'gitops'], 'use "auto" (watcher) or "gitops" (Terraform)')],
  },
  drain_owner: {
    type: 'string',
    default: DEFAULTS.capacityProvider.drainOwner,
    nullable: false,
    description:
      'Who drains instances before termination: `lambda` (the drain gate; ECS managed draining off) ' +
      'or `ecs` (ECS managed draining on; the drain gate stays deployed with its rules disabled).',
    validation: [enumOf('drain_owner', ['lambda', 'ecs'], 'use "lambda" (drain gate) or "ecs" (managed draining)')],
  },
  node_groups: {
    type: `map(${nodeGroupObjectType()})`,
    description:
      'The node groups, keyed by name (lowercase letters, digits, inner hyphens; ≤ 32): one launch template, ' +
      'Auto Scaling group and capacity provider each. Attributes ' +
      'mirror the NodeGroup construct; see the table below.',
    validation: NODE_GROUP_RULES.map((rule) => ({ condition: ruleCondition(rule), message: ruleMessage(rule) })),
  },
  join_deadline_seconds: {
    type: 'number',
    default: GATE_DEFAULTS.joinDeadlineSeconds,
    nullable: false,
    description: 'Seconds a new instance may take to join the cluster before the launch gate abandons it.',
    validation: [intRange('join_deadline_seconds', 60, 7200, 'use 60–7200 s (default 600)')],
  },
  max_drain_seconds: {
    type: 'number',
    default: GATE_DEFAULTS.maxDrainSeconds,
    nullable: false,
    description:
      'Longest drain; then the drain gate continues anyway (alert log, ' +
      "DrainsForced metric). At most the terminate hook's global timeout.",
    validation: [intRange('max_drain_seconds', 60, 172800, 'use 60–172800 s (default 3600)')],
  },
  standalone_task_grace_seconds: {
    type: 'number',
    default: GATE_DEFAULTS.standaloneTaskGraceSeconds,
    nullable: false,
    description: 'Seconds after the drain starts before standalone tasks are stopped; 0 = never stop them.',
    validation: [intRange('standalone_task_grace_seconds', 0, 172800, 'use 0 (never stop) up to 172800 s')],
  },
  require_healthy_instance: {
    type: 'bool',
    default: GATE_DEFAULTS.requireHealthyInstance,
    nullable: false,
    description: "The launch gate also waits for the container instance's health to be OK.",
  },
  sweep_schedule: {
    type: 'string',
    default: GATE_DEFAULTS.sweepSchedule,
    nullable: false,
    description:
      "Schedule of the gates' sweep (the safety net for lost events); below half the shortest heartbeat timeout.",
    validation: [scheduleRule('sweep_schedule')],
  },
  log_retention_days: {
    type: 'number',
    default: 30,
    nullable: false,
    description: 'Log retention of the Lambda functions, in days (a value CloudWatch Logs accepts).',
    validation: [
      {
        condition: `contains([${LOG_RETENTION_DAYS.join(', ')}], var.log_retention_days)`,
        message: message(
          'log_retention_days',
          `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
          'pick the nearest value CloudWatch Logs accepts',
        ),
      },
    ],
  },
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
