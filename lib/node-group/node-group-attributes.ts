/**
 * The node group's attributes, once: the Terraform module's snake_case name, the construct prop it is, its HCL type and
 * its default (read from lib/defaults.ts). The module's `node_groups` type, its documentation (descriptions come from
 * the props' JSDoc), and the prop names in validation messages (lib/node-group/node-group-rules.ts) derive from it.
 */
import { DEFAULTS } from '../defaults';

const d = DEFAULTS.nodeGroup;
const cp = DEFAULTS.capacityProvider;

/** One attribute. `default: undefined` = optional without default (null in the module). */
export interface NodeGroupAttribute {
  /** Module name (snake_case; the provider's name where one maps). */
  readonly name: string;
  /** The NodeGroupOptions prop path it mirrors, e.g. `instanceRefresh.minHealthyPercentage`. */
  readonly prop: string;
  /** HCL type. */
  readonly type: string;
  readonly default?: unknown;
  /** Module-only addition to the JSDoc description (how the module defaults or binds it). */
  readonly moduleNote?: string;
}

/** A nested object (`optional(object({...}), {})`, or `optional(object({...}))` when `nullable`). */
export interface NodeGroupObject {
  readonly name: string;
  readonly prop: string;
  readonly attributes: readonly NodeGroupAttribute[];
  /** Absent (null) unless set, like `mixed_instances`; otherwise defaults to `{}` with every nested default. */
  readonly nullable?: boolean;
  /** A list of such objects (`optional(list(object({...})), [])`). */
  readonly list?: boolean;
}

export type NodeGroupEntry = NodeGroupAttribute | NodeGroupObject;

const hook = (which: 'launch' | 'terminate', heartbeat: number, result: string): NodeGroupObject => ({
  name: `${which}_hook`,
  prop: `${which}Hook`,
  attributes: [
    { name: 'heartbeat_timeout', type: 'number', default: heartbeat, prop: `${which}Hook.heartbeatTimeoutSeconds` },
    { name: 'default_result', type: 'string', default: result, prop: `${which}Hook.defaultResult` },
  ],
});

export const NODE_GROUP_ATTRIBUTES: readonly NodeGroupEntry[] = [
  { name: 'architecture', type: 'string', default: 'x86_64', prop: 'architecture' },
  { name: 'ami_mode', type: 'string', prop: 'amiMode', moduleNote: 'Default: var.ami_mode.' },
  {
    name: 'ami_ssm_parameter',
    type: 'string',
    prop: 'amiSource',
    moduleNote:
      'SSM parameter holding the AMI id. Default: the ECS-optimized Amazon Linux 2023 parameter of the architecture.',
  },
  {
    name: 'ami_id',
    type: 'string',
    prop: 'amiSource',
    moduleNote: 'A pinned AMI id (ami-…); takes precedence over ami_ssm_parameter.',
  },
  {
    name: 'instance_types',
    type: 'list(string)',
    prop: 'instanceTypes',
    moduleNote:
      `Default: ${JSON.stringify(d.instanceTypes)} (x86_64), ` + `${JSON.stringify(d.arm64InstanceTypes)} (arm64).`,
  },
  { name: 'min_size', type: 'number', default: d.minSize, prop: 'minSize' },
  { name: 'max_size', type: 'number', default: d.maxSize, prop: 'maxSize' },
  { name: 'desired_capacity', type: 'number', default: d.desiredCapacity, prop: 'desiredCapacity' },
  { name: 'subnet_ids', type: 'list(string)', prop: 'subnetIds', moduleNote: 'Default: var.subnet_ids.' },
  {
    name: 'security_group_ids',
    type: 'list(string)',
    prop: 'securityGroupIds',
    moduleNote: 'Default: var.security_group_ids.',
  },
  { name: 'root_volume_size', type: 'number', default: d.rootVolumeSizeGiB, prop: 'rootVolumeSizeGiB' },
  { name: 'root_volume_iops', type: 'number', prop: 'rootVolumeIops' },
  { name: 'root_volume_throughput', type: 'number', prop: 'rootVolumeThroughput' },
  { name: 'root_volume_kms_key_id', type: 'string', prop: 'rootVolumeKmsKeyId' },
  {
    name: 'extra_volumes',
    prop: 'extraVolumes',
    list: true,
    attributes: [
      { name: 'device_name', type: 'string', prop: 'extraVolumes.deviceName' },
      { name: 'size', type: 'number', prop: 'extraVolumes.sizeGiB' },
      { name: 'iops', type: 'number', prop: 'extraVolumes.iops' },
      { name: 'throughput', type: 'number', prop: 'extraVolumes.throughput' },
      { name: 'kms_key_id', type: 'string', prop: 'extraVolumes.kmsKeyId' },
    ],
  },
  { name: 'key_name', type: 'string', prop: 'keyName' },
  {
    name: 'http_put_response_hop_limit',
    type: 'number',
    default: d.httpPutResponseHopLimit,
    prop: 'httpPutResponseHopLimit',
  },
  {
    name: 'associate_public_ip_address',
    type: 'bool',
    default: d.associatePublicIpAddress,
    prop: 'associatePublicIpAddress',
  },
  { name: 'detailed_monitoring', type: 'bool', default: d.detailedMonitoring, prop: 'detailedMonitoring' },
  {
    name: 'container_stop_timeout_seconds',
    type: 'number',
    default: d.containerStopTimeoutSeconds,
    prop: 'containerStopTimeoutSeconds',
  },
  { name: 'user_data', type: 'string', prop: 'userData' },
  {
    name: 'health_check_grace_period',
    type: 'number',
    default: d.healthCheckGracePeriodSeconds,
    prop: 'healthCheckGracePeriodSeconds',
  },
  { name: 'force_delete', type: 'bool', default: d.forceDelete, prop: 'forceDelete' },
  { name: 'delete_timeout', type: 'string', default: d.deleteTimeout, prop: 'deleteTimeout' },
  {
    name: 'instance_refresh',
    prop: 'instanceRefresh',
    attributes: [
      {
        name: 'min_healthy_percentage',
        type: 'number',
        default: d.minHealthyPercentage,
        prop: 'instanceRefresh.minHealthyPercentage',
      },
      {
        name: 'max_healthy_percentage',
        type: 'number',
        default: d.maxHealthyPercentage,
        prop: 'instanceRefresh.maxHealthyPercentage',
      },
      {
        name: 'instance_warmup',
        type: 'number',
        default: d.instanceWarmupSeconds,
        prop: 'instanceRefresh.instanceWarmupSeconds',
      },
      {
        name: 'checkpoint_percentages',
        type: 'list(number)',
        default: [...d.checkpointPercentages],
        prop: 'instanceRefresh.checkpointPercentages',
      },
      {
        name: 'checkpoint_delay',
        type: 'number',
        default: d.checkpointDelaySeconds,
        prop: 'instanceRefresh.checkpointDelaySeconds',
      },
      { name: 'alarm_names', type: 'list(string)', default: [], prop: 'instanceRefresh.alarmNames' },
      {
        name: 'auto_rollback',
        type: 'bool',
        prop: 'instanceRefresh.autoRollback',
        moduleNote: 'Default: true in ami_mode "gitops"; not allowed in "auto".',
      },
    ],
  },
  hook('launch', d.launchHeartbeatTimeoutSeconds, d.launchDefaultResult),
  hook('terminate', d.terminateHeartbeatTimeoutSeconds, d.terminateDefaultResult),
  {
    name: 'mixed_instances',
    prop: 'mixedInstances',
    nullable: true,
    attributes: [
      {
        name: 'on_demand_base_capacity',
        type: 'number',
        default: d.onDemandBaseCapacity,
        prop: 'mixedInstances.onDemandBaseCapacity',
      },
      {
        name: 'on_demand_percentage_above_base_capacity',
        type: 'number',
        default: d.onDemandPercentageAboveBaseCapacity,
        prop: 'mixedInstances.onDemandPercentageAboveBaseCapacity',
      },
      {
        name: 'spot_allocation_strategy',
        type: 'string',
        default: d.spotAllocationStrategy,
        prop: 'mixedInstances.spotAllocationStrategy',
      },
    ],
  },
  {
    name: 'capacity_provider',
    prop: 'capacityProvider',
    attributes: [
      {
        name: 'target_capacity',
        type: 'number',
        default: cp.targetCapacityPercent,
        prop: 'capacityProvider.targetCapacityPercent',
      },
      { name: 'managed_scaling', type: 'bool', default: cp.managedScaling, prop: 'capacityProvider.managedScaling' },
      {
        name: 'managed_termination_protection',
        type: 'bool',
        default: cp.managedTerminationProtection,
        prop: 'capacityProvider.managedTerminationProtection',
      },
      {
        name: 'minimum_scaling_step_size',
        type: 'number',
        default: cp.minimumScalingStepSize,
        prop: 'capacityProvider.minimumScalingStepSize',
      },
      {
        name: 'maximum_scaling_step_size',
        type: 'number',
        default: cp.maximumScalingStepSize,
        prop: 'capacityProvider.maximumScalingStepSize',
      },
      {
        name: 'instance_warmup_period',
        type: 'number',
        default: cp.instanceWarmupPeriodSeconds,
        prop: 'capacityProvider.instanceWarmupPeriodSeconds',
      },
      { name: 'weight', type: 'number', default: cp.weight, prop: 'capacityProvider.weight' },
      { name: 'base', type: 'number', default: cp.base, prop: 'capacityProvider.base' },
    ],
  },
  { name: 'tags', type: 'map(string)', default: {}, prop: 'tags' },
];

export function isObjectEntry(entry: NodeGroupEntry): entry is NodeGroupObject {
  return 'attributes' in entry;
}

/** Every leaf attribute with its dotted module path (`instance_refresh.min_healthy_percentage`). */
export function flattenAttributes(): (NodeGroupAttribute & { readonly path: string })[] {
  return NODE_GROUP_ATTRIBUTES.flatMap((e) =>
    isObjectEntry(e) ? e.attributes.map((a) => ({ ...a, path: `${e.name}.${a.name}` })) : [{ ...e, path: e.name }],
  );
}

const PROPS: ReadonlyMap<string, string> = new Map([
  ...NODE_GROUP_ATTRIBUTES.filter(isObjectEntry).map((e) => [e.name, e.prop] as const),
  ...flattenAttributes().map((a) => [a.path, a.prop] as const),
  ['name', 'name'],
]);

/** The construct prop of a module attribute path (`root_volume_size` → `rootVolumeSizeGiB`); throws if unknown. */
export function propOf(path: string): string {
  const prop = PROPS.get(path);
  if (prop === undefined) throw new Error(`unknown node group attribute ${path}`);
  return prop;
}
