/**
 * The `node_groups` validation rules of the module: one table, from which the variable's `validation` blocks are
 * generated. Each rule carries the construct's own wording (lib/node-group/validate-node-group.ts): reason and fix are
 * the construct's, with prop names in the module's snake_case, and `__tests__/module/validation-messages.test.ts` feeds
 * `example` to the NodeGroup construct and checks it rejects it with the same reason and fix.
 */
import type { NodeGroupOptions } from '../node-group/node-group-props';

export interface NodeGroupRule {
  /** Module attribute path the rule checks, e.g. `instance_refresh.max_healthy_percentage`. */
  readonly attribute: string;
  /** HCL condition over one node group `g` (key `k`) — or over `var.node_groups` when `wholeMap`. */
  readonly condition: string;
  readonly wholeMap?: boolean;
  /** Why the value is rejected (the construct's reason, snake_case names). */
  readonly reason: string;
  /** How to fix it (the construct's fix, snake_case names). */
  readonly fix: string;
  /**
   * The construct counterpart: options it rejects, and its reason / fix text when worded with camelCase names.
   * Absent for rules that exist only because Terraform's types are looser than TypeScript's (enums).
   */
  readonly construct?: {
    readonly example: Partial<NodeGroupOptions>;
    readonly reason?: string;
    readonly fix?: string;
  };
}

const int = (x: string) => `floor(${x}) == ${x}`;
const range = (x: string, min: number, max?: number) =>
  max === undefined ? `${int(x)} && ${x} >= ${min}` : `${int(x)} && ${x} >= ${min} && ${x} <= ${max}`;
const between = (min: number, max: number, why?: string) =>
  `must be an integer between ${min} and ${max}${why ? ` (${why})` : ''}`;
const atLeast = (min: number) => `must be an integer ≥ ${min}`;
const oneOf = (values: string[]) => `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
const inList = (x: string, values: string[]) => `contains([${values.map((v) => JSON.stringify(v)).join(', ')}], ${x})`;

/** Integer-range rule of one attribute, with the construct's checkIntegerRange wording. */
function intRule(
  attribute: string,
  min: number,
  max: number | undefined,
  fix: string,
  example: Partial<NodeGroupOptions>,
  why?: string,
  constructFix?: string,
): NodeGroupRule {
  const x = `g.${attribute}`;
  return {
    attribute,
    condition: range(x, min, max),
    reason: max === undefined ? atLeast(min) : between(min, max, why),
    fix,
    construct: { example, fix: constructFix },
  };
}

const name = 'use a short name such as "x86" or "arm64-spot" (it becomes part of AWS resource names)';

export const NODE_GROUP_RULES: readonly NodeGroupRule[] = [
  {
    attribute: '(map)',
    wholeMap: true,
    condition: 'length(var.node_groups) > 0',
    reason: 'must not be empty',
    fix: 'add at least one node group, e.g. { x86 = {} }',
  },
  {
    attribute: '(key)',
    condition: 'length(k) >= 1 && length(k) <= 32',
    reason: 'node group names must be 1–32 characters long',
    fix: name,
    construct: { example: { name: 'a'.repeat(33) }, reason: 'must be 1–32 characters long' },
  },
  {
    attribute: '(key)',
    condition: 'can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", k))',
    reason: 'may only contain lowercase letters, digits and inner hyphens',
    fix: name,
    construct: { example: { name: 'X86_Group' } },
  },
  {
    attribute: 'architecture',
    condition: inList('g.architecture', ['x86_64', 'arm64']),
    reason: oneOf(['x86_64', 'arm64']),
    fix: 'use "x86_64" or "arm64"',
  },
  {
    attribute: 'ami_mode',
    condition: `g.ami_mode == null ? true : ${inList('g.ami_mode', ['auto', 'gitops'])}`,
    reason: oneOf(['auto', 'gitops']),
    fix: 'use "auto" (watcher) or "gitops" (Terraform)',
    construct: { example: { amiMode: 'manual' as never } },
  },
  {
    attribute: 'ami_id',
    condition: 'g.ami_id == null ? true : can(regex("^ami-[0-9a-f]{8}([0-9a-f]{9})?$", g.ami_id))',
    reason: 'must be an AMI id (ami- and 8 or 17 hex digits)',
    fix: 'pass an id such as ami-0123456789abcdef0',
  },
  intRule('min_size', 0, undefined, 'use 0 or more', { minSize: -1 }),
  intRule('max_size', 1, undefined, 'use 1 or more', { maxSize: 0, minSize: 0, desiredCapacity: 0 }),
  {
    attribute: 'min_size',
    condition: 'g.min_size <= g.max_size',
    reason: 'must not exceed max_size',
    fix: 'lower min_size or raise max_size',
    construct: {
      example: { minSize: 5, maxSize: 3 },
      reason: 'must not exceed maxSize',
      fix: 'lower minSize or raise maxSize',
    },
  },
  {
    attribute: 'desired_capacity',
    condition: 'g.desired_capacity >= g.min_size && g.desired_capacity <= g.max_size',
    reason: 'must lie within [min_size, max_size]',
    fix: 'set desired_capacity between min_size and max_size',
    construct: {
      example: { desiredCapacity: 20 },
      reason: 'must lie within [minSize, maxSize]',
      fix: 'set desiredCapacity between minSize and maxSize',
    },
  },
  {
    attribute: 'instance_types',
    condition: 'g.instance_types == null ? true : length(g.instance_types) > 0',
    reason: 'must not be empty',
    fix: 'pass at least one instance type, e.g. ["m7i.large"]',
    construct: { example: { instanceTypes: [] } },
  },
  {
    attribute: 'instance_types',
    condition: 'g.instance_types == null ? true : (length(g.instance_types) <= 1 || g.mixed_instances != null)',
    reason: 'several instance types need a mixed instances policy',
    fix: 'set mixed_instances (e.g. {}) or pass one instance type',
    construct: {
      example: { instanceTypes: ['m7i.large', 'm6i.large'] },
      fix: 'set mixedInstances (e.g. {}) or pass one instance type',
    },
  },
  {
    attribute: 'instance_types',
    condition: 'g.instance_types == null ? true : length(g.instance_types) <= 40',
    reason: 'a mixed instances policy takes at most 40 instance types',
    fix: 'pass fewer instance types',
    construct: {
      example: { instanceTypes: Array.from({ length: 41 }, (_, i) => `m7i.${i}xlarge`), mixedInstances: {} },
    },
  },
  {
    attribute: 'instance_types',
    condition:
      'g.instance_types == null ? true : alltrue([for t in g.instance_types : ' +
      '(can(regex("^[a-z]+[0-9]+g[a-z]*\\\\.", t)) || startswith(t, "a1.")) == (g.architecture == "arm64")])',
    reason: "must be instance types of the node group's architecture (Graviton types such as m7g.large are arm64)",
    fix: 'pass instance types of the architecture or change architecture',
  },
  {
    attribute: 'security_group_ids',
    condition: 'g.security_group_ids == null ? true : length(g.security_group_ids) <= 5',
    reason: 'a network interface takes at most 5 security groups by default',
    fix: 'merge the rules into fewer groups',
    construct: { example: { securityGroupIds: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'] } },
  },
  intRule(
    'root_volume_size',
    30,
    16384,
    'use at least 30 GiB',
    { rootVolumeSizeGiB: 20 },
    "the AMI's root snapshot is 30 GiB and gp3 volumes end at 16384 GiB",
  ),
  intRule(
    'http_put_response_hop_limit',
    1,
    64,
    'use 1 (host only) or 2 (containers reach IMDS)',
    { httpPutResponseHopLimit: 65 },
    'the IMDS limits',
  ),
  intRule(
    'container_stop_timeout_seconds',
    1,
    3600,
    'use a few seconds up to an hour',
    { containerStopTimeoutSeconds: 0 },
    'between SIGTERM and SIGKILL',
  ),
  intRule('health_check_grace_period', 0, undefined, 'use 0 or more', { healthCheckGracePeriodSeconds: -5 }),
  intRule('instance_refresh.min_healthy_percentage', 0, 100, 'use 0–100 (100 keeps full capacity)', {
    instanceRefresh: { minHealthyPercentage: 101 },
  }),
  intRule(
    'instance_refresh.max_healthy_percentage',
    100,
    200,
    'use 100–200 (200 launches replacements before terminating)',
    { instanceRefresh: { maxHealthyPercentage: 250 } },
  ),
  {
    attribute: 'instance_refresh.max_healthy_percentage',
    condition: 'g.instance_refresh.max_healthy_percentage - g.instance_refresh.min_healthy_percentage <= 100',
    reason: 'must be at most 100 above min_healthy_percentage, as AWS requires',
    fix: 'narrow the range',
    construct: {
      example: { instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 160 } },
      reason: 'must be at most 100 above minHealthyPercentage',
    },
  },
  {
    attribute: 'instance_refresh.max_healthy_percentage',
    condition:
      '!(g.instance_refresh.min_healthy_percentage == 100 && g.instance_refresh.max_healthy_percentage == 100)',
    reason: 'with min_healthy_percentage 100 the refresh could never replace an instance',
    fix: 'raise max_healthy_percentage above 100 (default 200)',
    construct: {
      example: { instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 100 } },
      reason: 'with minHealthyPercentage 100 the refresh could never replace an instance',
      fix: 'raise maxHealthyPercentage above 100 (default 200)',
    },
  },
  intRule('instance_refresh.instance_warmup', 0, undefined, 'use 0 or more', {
    instanceRefresh: { instanceWarmupSeconds: -1 },
  }),
  intRule(
    'instance_refresh.checkpoint_delay',
    0,
    172800,
    'use at most 172800 s (2 days)',
    { instanceRefresh: { checkpointDelaySeconds: 172801 } },
    "AWS's limit",
  ),
  {
    attribute: 'instance_refresh.checkpoint_percentages',
    condition: `alltrue([for c in g.instance_refresh.checkpoint_percentages : ${range('c', 1, 100)}])`,
    reason: between(1, 100),
    fix: 'use whole percentages from 1 to 100',
    construct: { example: { instanceRefresh: { checkpointPercentages: [0, 100] } } },
  },
  {
    attribute: 'instance_refresh.checkpoint_percentages',
    condition:
      'alltrue([for i, c in g.instance_refresh.checkpoint_percentages : i ' +
      '== 0 ? true : c > g.instance_refresh.checkpoint_percentages[i - 1]])',
    reason: 'must be strictly ascending',
    fix: 'sort the percentages and remove duplicates, e.g. [10, 50, 100]',
    construct: { example: { instanceRefresh: { checkpointPercentages: [50, 10, 100] } } },
  },
  {
    attribute: 'instance_refresh.checkpoint_percentages',
    condition:
      'length(g.instance_refresh.checkpoint_percentages) == 0 ? true : ' +
      'g.instance_refresh.checkpoint_percentages[length(g.instance_refresh.checkpoint_percentages) - 1] == 100',
    reason: 'must end with 100, or the refresh stops at the last checkpoint',
    fix: 'append 100',
    construct: { example: { instanceRefresh: { checkpointPercentages: [10, 50] } } },
  },
  {
    attribute: 'instance_refresh.alarm_names',
    condition: 'length(g.instance_refresh.alarm_names) <= 10',
    reason: 'an instance refresh takes at most 10 alarms',
    fix: 'combine alarms with a composite alarm',
    construct: { example: { instanceRefresh: { alarmNames: Array.from({ length: 11 }, (_, i) => `alarm-${i}`) } } },
  },
  {
    attribute: 'instance_refresh.auto_rollback',
    condition: '!(g.ami_mode == "auto" && g.instance_refresh.auto_rollback == true)',
    reason: 'Auto Scaling cannot roll back a launch template that resolves its AMI from SSM at launch',
    fix: 'leave auto_rollback unset in ami_mode "auto" (the AMI watcher rolls back instead)',
    construct: {
      example: { amiMode: 'auto', instanceRefresh: { autoRollback: true } },
      fix: 'leave autoRollback unset in amiMode "auto" (the AMI watcher rolls back instead)',
    },
  },
  ...(['launch', 'terminate'] as const).flatMap((which): NodeGroupRule[] => [
    intRule(
      `${which}_hook.heartbeat_timeout`,
      30,
      7200,
      'choose 30–7200 s; the gate records heartbeats, so a few minutes is enough',
      { [`${which}Hook`]: { heartbeatTimeoutSeconds: 20 } },
      'the lifecycle hook limits',
    ),
    {
      attribute: `${which}_hook.default_result`,
      condition: inList(`g.${which}_hook.default_result`, ['CONTINUE', 'ABANDON']),
      reason: oneOf(['CONTINUE', 'ABANDON']),
      fix: 'use "CONTINUE" or "ABANDON"',
    },
  ]),
  {
    attribute: 'mixed_instances.on_demand_base_capacity',
    condition: `g.mixed_instances == null ? true : ${range('g.mixed_instances.on_demand_base_capacity', 0)}`,
    reason: atLeast(0),
    fix: 'use 0 or more',
    construct: { example: { mixedInstances: { onDemandBaseCapacity: -1 } } },
  },
  {
    attribute: 'mixed_instances.on_demand_percentage_above_base_capacity',
    condition:
      `g.mixed_instances == null ? true : ` +
      `${range('g.mixed_instances.on_demand_percentage_above_base_capacity', 0, 100)}`,
    reason: between(0, 100),
    fix: 'use 0 (all spot) to 100 (all on-demand)',
    construct: { example: { mixedInstances: { onDemandPercentageAboveBaseCapacity: 120 } } },
  },
  intRule('capacity_provider.target_capacity', 1, 100, 'use 1–100 (100 packs instances fully)', {
    capacityProvider: { targetCapacityPercent: 0 },
  }),
  intRule('capacity_provider.minimum_scaling_step_size', 1, 10000, 'use 1–10000', {
    capacityProvider: { minimumScalingStepSize: 0 },
  }),
  intRule('capacity_provider.maximum_scaling_step_size', 1, 10000, 'use 1–10000', {
    capacityProvider: { maximumScalingStepSize: 10001 },
  }),
  {
    attribute: 'capacity_provider.minimum_scaling_step_size',
    condition: 'g.capacity_provider.minimum_scaling_step_size <= g.capacity_provider.maximum_scaling_step_size',
    reason: 'must not exceed maximum_scaling_step_size',
    fix: 'lower it or raise maximum_scaling_step_size',
    construct: {
      example: { capacityProvider: { minimumScalingStepSize: 20, maximumScalingStepSize: 10 } },
      reason: 'must not exceed maximumScalingStepSize',
      fix: 'lower it or raise maximumScalingStepSize',
    },
  },
  intRule('capacity_provider.instance_warmup_period', 0, 10000, 'use 0–10000 s', {
    capacityProvider: { instanceWarmupPeriodSeconds: 10001 },
  }),
  intRule('capacity_provider.weight', 0, 1000, 'use 0–1000', { capacityProvider: { weight: 1001 } }),
  intRule('capacity_provider.base', 0, 100000, 'use 0–100000', { capacityProvider: { base: -1 } }),
  {
    attribute: 'capacity_provider.managed_termination_protection',
    condition: '!(g.capacity_provider.managed_termination_protection && !g.capacity_provider.managed_scaling)',
    reason: 'requires managed scaling (ECS can only protect instances it scales)',
    fix: 'enable managed_scaling or disable managed_termination_protection',
    construct: {
      example: { capacityProvider: { managedScaling: false, managedTerminationProtection: true } },
      fix: 'enable managedScaling or disable managedTerminationProtection',
    },
  },
  {
    attribute: 'capacity_provider.base',
    wholeMap: true,
    condition: 'length([for k, g in var.node_groups : k if g.capacity_provider.base > 0]) <= 1',
    reason: 'only one capacity provider in a strategy may have a base',
    fix: 'set base on one node group only',
  },
];

/** The error message of a rule, as the module shows it. */
export function ruleMessage(rule: NodeGroupRule): string {
  const where =
    rule.attribute === '(map)'
      ? 'node_groups'
      : rule.attribute === '(key)'
        ? 'node_groups keys'
        : `node_groups[*].${rule.attribute}`;
  return `Invalid ${where}: ${rule.reason}. Fix: ${rule.fix}.`;
}

/** The `validation` block condition of a rule. */
export function ruleCondition(rule: NodeGroupRule): string {
  return rule.wholeMap ? rule.condition : `alltrue([for k, g in var.node_groups : ${rule.condition}])`;
}
