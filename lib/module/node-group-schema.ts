/**
 * The `node_groups` variable's object type, generated from one table: attribute name (snake_case, as the provider names
 * it where one maps), HCL type, default (read from lib/defaults.ts, never restated), the construct prop it mirrors and
 * a description. The variable's type, its documentation and the module's locals all derive from this table.
 */
import { DEFAULTS } from '../defaults';

const d = DEFAULTS.nodeGroup;
const cp = DEFAULTS.capacityProvider;

/** One attribute of the node group object. `default: undefined` = optional without default (null). */
export interface SchemaAttribute {
  readonly name: string;
  readonly type: string;
  readonly default?: unknown;
  /** The NodeGroupOptions prop it mirrors, e.g. `instanceRefresh.minHealthyPercentage`. */
  readonly prop: string;
  readonly description: string;
}

/** A nested object attribute (`optional(object({...}), {})`, or `optional(object({...}))` when `nullable`). */
export interface SchemaObject {
  readonly name: string;
  readonly prop: string;
  readonly description: string;
  readonly attributes: readonly SchemaAttribute[];
  /** Absent (null) unless set, like `mixed_instances`; otherwise defaults to `{}` with every nested default. */
  readonly nullable?: boolean;
}

export type SchemaEntry = SchemaAttribute | SchemaObject;

const hook = (which: 'launch' | 'terminate', heartbeat: number, result: string): SchemaObject => ({
  name: `${which}_hook`,
  prop: `${which}Hook`,
  description: `The ${which} lifecycle hook the ${which === 'launch' ? 'launch' : 'drain'} gate holds.`,
  attributes: [
    {
      name: 'heartbeat_timeout',
      type: 'number',
      default: heartbeat,
      prop: `${which}Hook.heartbeatTimeoutSeconds`,
      description: 'Seconds before the default result applies unless the gate records a heartbeat (30–7200).',
    },
    {
      name: 'default_result',
      type: 'string',
      default: result,
      prop: `${which}Hook.defaultResult`,
      description: 'CONTINUE or ABANDON.',
    },
  ],
});

export const NODE_GROUP_SCHEMA: readonly SchemaEntry[] = [
  {
    name: 'architecture',
    type: 'string',
    default: 'x86_64',
    prop: 'architecture',
    description: 'x86_64 or arm64: decides the default AMI parameter and instance types.',
  },
  {
    name: 'ami_mode',
    type: 'string',
    prop: 'amiMode',
    description:
      'auto (the AMI watcher owns the AMI through an SSM parameter) or gitops ' +
      '(a concrete AMI id in the launch template). Default: var.ami_mode.',
  },
  {
    name: 'ami_ssm_parameter',
    type: 'string',
    prop: 'amiSource',
    description:
      'SSM parameter holding the AMI id. Default: the ECS-optimized Amazon Linux 2023 parameter of the architecture.',
  },
  {
    name: 'ami_id',
    type: 'string',
    prop: 'amiSource',
    description: 'A pinned AMI id (ami-…); takes precedence over ami_ssm_parameter.',
  },
  {
    name: 'instance_types',
    type: 'list(string)',
    prop: 'instanceTypes',
    description:
      `Instance types; more than one needs mixed_instances. Default: ` +
      `${JSON.stringify(d.instanceTypes)} (x86_64), ${JSON.stringify(d.arm64InstanceTypes)} (arm64).`,
  },
  { name: 'min_size', type: 'number', default: d.minSize, prop: 'minSize', description: 'Minimum group size.' },
  { name: 'max_size', type: 'number', default: d.maxSize, prop: 'maxSize', description: 'Maximum group size.' },
  {
    name: 'desired_capacity',
    type: 'number',
    default: d.desiredCapacity,
    prop: 'desiredCapacity',
    description: 'Initial desired capacity (ignored after creation: ECS managed scaling owns it).',
  },
  {
    name: 'subnet_ids',
    type: 'list(string)',
    prop: 'subnetIds',
    description: 'Subnets of the group. Default: var.subnet_ids.',
  },
  {
    name: 'security_group_ids',
    type: 'list(string)',
    prop: 'securityGroupIds',
    description: 'Security groups (1–5). Default: var.security_group_ids.',
  },
  {
    name: 'root_volume_size',
    type: 'number',
    default: d.rootVolumeSizeGiB,
    prop: 'rootVolumeSizeGiB',
    description: 'Root volume size in GiB (gp3, encrypted); at least 30.',
  },
  {
    name: 'root_volume_kms_key_id',
    type: 'string',
    prop: 'rootVolumeKmsKeyId',
    description: "KMS key of the root volume. Default: the account's EBS default key.",
  },
  {
    name: 'http_put_response_hop_limit',
    type: 'number',
    default: d.httpPutResponseHopLimit,
    prop: 'httpPutResponseHopLimit',
    description: 'IMDSv2 hop limit (1–64); 1 keeps containers away from the instance role.',
  },
  {
    name: 'associate_public_ip_address',
    type: 'bool',
    default: d.associatePublicIpAddress,
    prop: 'associatePublicIpAddress',
    description: 'Give instances a public IP (public subnets without NAT only).',
  },
  {
    name: 'detailed_monitoring',
    type: 'bool',
    default: d.detailedMonitoring,
    prop: 'detailedMonitoring',
    description: 'One-minute EC2 metrics.',
  },
  {
    name: 'container_stop_timeout_seconds',
    type: 'number',
    default: d.containerStopTimeoutSeconds,
    prop: 'containerStopTimeoutSeconds',
    description: 'ECS_CONTAINER_STOP_TIMEOUT: seconds between SIGTERM and SIGKILL (1–3600).',
  },
  {
    name: 'user_data',
    type: 'string',
    prop: 'userData',
    description: 'Extra user data (shell script or #cloud-config) run after the ECS agent configuration. No secrets.',
  },
  {
    name: 'health_check_grace_period',
    type: 'number',
    default: d.healthCheckGracePeriodSeconds,
    prop: 'healthCheckGracePeriodSeconds',
    description: "Seconds before Auto Scaling checks a new instance's health.",
  },
  {
    name: 'instance_refresh',
    prop: 'instanceRefresh',
    description: 'Instance refresh preferences of the AMI rollout.',
    attributes: [
      {
        name: 'min_healthy_percentage',
        type: 'number',
        default: d.minHealthyPercentage,
        prop: 'instanceRefresh.minHealthyPercentage',
        description: 'Capacity kept healthy during the refresh, % of desired (0–100).',
      },
      {
        name: 'max_healthy_percentage',
        type: 'number',
        default: d.maxHealthyPercentage,
        prop: 'instanceRefresh.maxHealthyPercentage',
        description: 'Upper bound on in-service + pending instances, % of desired (100–200, at most min + 100).',
      },
      {
        name: 'instance_warmup',
        type: 'number',
        default: d.instanceWarmupSeconds,
        prop: 'instanceRefresh.instanceWarmupSeconds',
        description: 'Seconds after InService before a replacement counts as healthy.',
      },
      {
        name: 'checkpoint_percentages',
        type: 'list(number)',
        default: [...d.checkpointPercentages],
        prop: 'instanceRefresh.checkpointPercentages',
        description: 'Checkpoints (ascending, last = 100); [] = none.',
      },
      {
        name: 'checkpoint_delay',
        type: 'number',
        default: d.checkpointDelaySeconds,
        prop: 'instanceRefresh.checkpointDelaySeconds',
        description: 'Seconds to pause at each checkpoint (0–172800).',
      },
      {
        name: 'alarm_names',
        type: 'list(string)',
        default: [],
        prop: 'instanceRefresh.alarmNames',
        description: 'CloudWatch alarms (≤ 10) that fail the refresh.',
      },
      {
        name: 'auto_rollback',
        type: 'bool',
        prop: 'instanceRefresh.autoRollback',
        description:
          'Auto Scaling rollback on a failed refresh. Default: true in gitops mode; not allowed in auto mode.',
      },
    ],
  },
  hook('launch', d.launchHeartbeatTimeoutSeconds, d.launchDefaultResult),
  hook('terminate', d.terminateHeartbeatTimeoutSeconds, d.terminateDefaultResult),
  {
    name: 'mixed_instances',
    prop: 'mixedInstances',
    nullable: true,
    description: 'Mixed instances policy (several instance types, spot); null = one on-demand instance type.',
    attributes: [
      {
        name: 'on_demand_base_capacity',
        type: 'number',
        default: d.onDemandBaseCapacity,
        prop: 'mixedInstances.onDemandBaseCapacity',
        description: 'On-demand instances before any spot instance.',
      },
      {
        name: 'on_demand_percentage_above_base_capacity',
        type: 'number',
        default: d.onDemandPercentageAboveBaseCapacity,
        prop: 'mixedInstances.onDemandPercentageAboveBaseCapacity',
        description: '0 = all spot … 100 = all on-demand.',
      },
      {
        name: 'spot_allocation_strategy',
        type: 'string',
        default: d.spotAllocationStrategy,
        prop: 'mixedInstances.spotAllocationStrategy',
        description: 'Spot allocation strategy.',
      },
    ],
  },
  {
    name: 'capacity_provider',
    prop: 'capacityProvider',
    description: 'ECS capacity provider settings.',
    attributes: [
      {
        name: 'target_capacity',
        type: 'number',
        default: cp.targetCapacityPercent,
        prop: 'capacityProvider.targetCapacityPercent',
        description: 'Managed scaling target utilisation, % (1–100).',
      },
      {
        name: 'managed_scaling',
        type: 'bool',
        default: cp.managedScaling,
        prop: 'capacityProvider.managedScaling',
        description: 'Let ECS scale the group.',
      },
      {
        name: 'managed_termination_protection',
        type: 'bool',
        default: cp.managedTerminationProtection,
        prop: 'capacityProvider.managedTerminationProtection',
        description: 'Let ECS protect instances with tasks from scale-in (needs managed_scaling).',
      },
      {
        name: 'minimum_scaling_step_size',
        type: 'number',
        default: cp.minimumScalingStepSize,
        prop: 'capacityProvider.minimumScalingStepSize',
        description: 'Fewest instances added or removed at once (1–10000).',
      },
      {
        name: 'maximum_scaling_step_size',
        type: 'number',
        default: cp.maximumScalingStepSize,
        prop: 'capacityProvider.maximumScalingStepSize',
        description: 'Most instances added or removed at once (1–10000).',
      },
      {
        name: 'instance_warmup_period',
        type: 'number',
        default: cp.instanceWarmupPeriodSeconds,
        prop: 'capacityProvider.instanceWarmupPeriodSeconds',
        description: 'Seconds a new instance is left out of managed scaling metrics (0–10000).',
      },
      {
        name: 'weight',
        type: 'number',
        default: cp.weight,
        prop: 'capacityProvider.weight',
        description: "Weight in the cluster's default capacity provider strategy (0–1000).",
      },
      {
        name: 'base',
        type: 'number',
        default: cp.base,
        prop: 'capacityProvider.base',
        description: 'Tasks always placed here first (only one node group may set it).',
      },
    ],
  },
  {
    name: 'tags',
    type: 'map(string)',
    default: {},
    prop: 'tags',
    description: "Tags of the group's resources and instances (merged over var.tags).",
  },
];

function isObject(entry: SchemaEntry): entry is SchemaObject {
  return 'attributes' in entry;
}

/** HCL literal of a default value (numbers, strings, bools, lists, empty maps). */
export function hclLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k} = ${hclLiteral(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

function attributeType(a: SchemaAttribute): string {
  return a.default === undefined ? `optional(${a.type})` : `optional(${a.type}, ${hclLiteral(a.default)})`;
}

/** The `object({...})` type of one node group, one attribute per line (readable in the module and the docs). */
export function nodeGroupObjectType(indent = '  '): string {
  const lines = (entries: readonly SchemaEntry[], pad: string): string[] =>
    entries.map((e) => {
      if (!isObject(e)) return `${pad}${e.name} = ${attributeType(e)}`;
      const inner = lines(e.attributes, `${pad}${indent}`).join('\n');
      return `${pad}${e.name} = optional(object({\n${inner}\n${pad}})${e.nullable ? '' : ', {}'})`;
    });
  return `object({\n${lines(NODE_GROUP_SCHEMA, indent).join('\n')}\n})`;
}

/** Every attribute with its dotted module path (`instance_refresh.min_healthy_percentage`), for docs and tests. */
export function flattenSchema(): (SchemaAttribute & { readonly path: string })[] {
  return NODE_GROUP_SCHEMA.flatMap((e) =>
    isObject(e) ? e.attributes.map((a) => ({ ...a, path: `${e.name}.${a.name}` })) : [{ ...e, path: e.name }],
  );
}
