/**
 * Every node group rule, once: its TypeScript check (the NodeGroup construct's synth-time validation), its HCL
 * condition over one node group `g` with key `k` (the plain module's `validation` blocks), and its reason and fix.
 * Limits come from lib/aws-limits.ts. A rule without `check` exists only because Terraform's types are looser than
 * TypeScript's.
 */
import * as L from '../aws-limits';
import { hclIntRange, hclOneOf, inIntRange, offense, oneOfReason } from '../rules';
import { isUncheckable } from '../validation';
import { isArmInstanceType, isInstanceType, normalizeUserData, userDataHcl } from './node-group-formats';
import { at, eachRule, guarded, intRule, NAME, NodeGroupRule, pairRule, text } from './rule-builders';
import { capacityProviderRules, refreshRules } from './scaling-rules';

export { NAME, NodeGroupRule, RuleContext } from './rule-builders';
export { NODE_GROUP_MAP_RULES, NodeGroupMapRule, RESOLVED_NODE_GROUP_RULES } from './cluster-rules';

const NAME_FIX = 'use a short name such as "x86" or "arm64-spot" (it becomes part of AWS resource names)';
const SUBNET_ID = '^subnet-([0-9a-f]{8}|[0-9a-f]{17})$';
const SECURITY_GROUP_ID = '^sg-([0-9a-f]{8}|[0-9a-f]{17})$';
const INSTANCE_TYPE = '^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\\\.[a-z0-9-]+$';
const ARM_INSTANCE_TYPE = '^([a-z]+[0-9]+g[a-z]*|a1)\\\\.';

export const NODE_GROUP_RULES: readonly NodeGroupRule[] = [
  {
    attribute: NAME,
    hcl: text('length(k) >= 1 && length(k) <= 32'),
    reason: text('must be 1–32 characters long'),
    fix: text(NAME_FIX),
    check: (g) => offense(g.name, (n: string) => n.length >= 1 && n.length <= 32),
    example: { name: 'a'.repeat(33) },
  },
  {
    attribute: NAME,
    hcl: text('can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", k))'),
    reason: text('may only contain lowercase letters, digits and inner hyphens'),
    fix: text(NAME_FIX),
    check: (g) => offense(g.name, (n: string) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(n)),
    example: { name: 'X86_Group' },
  },
  {
    attribute: 'architecture',
    hcl: text(hclOneOf('g.architecture', ['x86_64', 'arm64'])),
    reason: text(oneOfReason(['x86_64', 'arm64'])),
    fix: text('use "x86_64" or "arm64"'),
    check: (g) => offense(g.architecture, (a: string) => a === 'x86_64' || a === 'arm64'),
    example: { architecture: 'amd64' as never },
  },
  {
    attribute: 'ami_mode',
    hcl: text(guarded('ami_mode', (x) => hclOneOf(x, ['auto', 'gitops']), true)),
    reason: text(oneOfReason(['auto', 'gitops'])),
    fix: text('use "auto" (watcher) or "gitops" (Terraform)'),
    check: (g) => offense(g.amiMode, (m: string) => m === 'auto' || m === 'gitops'),
    example: { amiMode: 'manual' as never },
  },
  {
    attribute: 'ami_id',
    hcl: text(guarded('ami_id', (x) => `can(regex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$", ${x}))`, true)),
    reason: text('must be an AMI id (ami- and 8 or 17 hex digits)'),
    fix: text('pass an id such as ami-0123456789abcdef0'),
  },
  intRule('min_size', 0, undefined, 'use 0 or more', { example: { minSize: -1 } }),
  intRule('max_size', 1, undefined, 'use 1 or more', { example: { maxSize: 0, minSize: 0, desiredCapacity: 0 } }),
  intRule('desired_capacity', 0, undefined, 'use 0 or more', { example: { desiredCapacity: -1, minSize: 0 } }),
  pairRule(
    'min_size',
    'g.min_size <= g.max_size',
    (g) => g.minSize <= g.maxSize,
    ['min_size', 'max_size'],
    'must not exceed {max_size}',
    'lower {min_size} or raise {max_size}',
    { minSize: 5, maxSize: 3 },
  ),
  pairRule(
    'desired_capacity',
    'g.desired_capacity >= g.min_size && g.desired_capacity <= g.max_size',
    (g) => g.desiredCapacity >= g.minSize && g.desiredCapacity <= g.maxSize,
    ['desired_capacity', 'min_size', 'max_size'],
    'must lie within [{min_size}, {max_size}]',
    'set {desired_capacity} between {min_size} and {max_size}',
    { desiredCapacity: 20 },
  ),
  {
    attribute: 'instance_types',
    hcl: text(guarded('instance_types', (x) => `length(${x}) > 0`, true)),
    reason: text('must not be empty'),
    fix: text('pass at least one instance type, e.g. ["m7i.large"]'),
    check: (g) => offense(g.instanceTypes, (t: string[]) => t.length > 0),
    example: { instanceTypes: [] },
  },
  {
    attribute: 'instance_types',
    hcl: text(guarded('instance_types', (x) => `length(${x}) <= 1 || g.mixed_instances != null`, true)),
    reason: text('several instance types need a mixed instances policy'),
    fix: text('set {mixed_instances} (e.g. {}) or pass one instance type'),
    check: (g) => offense(g.instanceTypes, (t: string[]) => t.length <= 1 || g.mixedInstances !== undefined),
    example: { instanceTypes: ['m7i.large', 'm6i.large'] },
  },
  {
    attribute: 'instance_types',
    hcl: text(guarded('instance_types', (x) => `length(${x}) <= ${L.INSTANCE_TYPE_OVERRIDES_MAX}`, true)),
    reason: text(`a mixed instances policy takes at most ${L.INSTANCE_TYPE_OVERRIDES_MAX} instance types`),
    fix: text('pass fewer instance types'),
    check: (g) => offense(g.instanceTypes, (t: string[]) => t.length <= L.INSTANCE_TYPE_OVERRIDES_MAX),
    example: { instanceTypes: Array.from({ length: 41 }, (_, i) => `m7i.${i + 1}xlarge`), mixedInstances: {} },
  },
  eachRule(
    'instance_types',
    (t) => `can(regex("${INSTANCE_TYPE}", ${t}))`,
    (t: string) => isInstanceType(t),
    'must be EC2 instance types such as "m7i.large" (lowercase family with its generation digit, a dot, the size)',
    'check the spelling, e.g. "m7i.large" rather than "m7ilarge" or "M7i.Large"',
    { instanceTypes: ['M7i.Large'] },
  ),
  eachRule(
    'instance_types',
    (t) => `can(regex("${ARM_INSTANCE_TYPE}", ${t})) == (g.architecture == "arm64")`,
    (t: string, g) => isArmInstanceType(t) === (g.architecture === 'arm64'),
    "must be instance types of the node group's {architecture} (Graviton types such as m7g.large are arm64)",
    'pass instance types of the architecture or change {architecture}',
    { instanceTypes: ['m7g.large'] },
  ),
  eachRule(
    'subnet_ids',
    (s) => `can(regex("${SUBNET_ID}", ${s}))`,
    (s: string) => new RegExp(SUBNET_ID).test(s),
    'must be subnet ids (subnet- and 8 or 17 hex digits)',
    'pass subnet ids, not security group or VPC ids',
    { subnetIds: ['sg-0123456789abcdef0'] },
  ),
  eachRule(
    'security_group_ids',
    (s) => `can(regex("${SECURITY_GROUP_ID}", ${s}))`,
    (s: string) => new RegExp(SECURITY_GROUP_ID).test(s),
    'must be security group ids (sg- and 8 or 17 hex digits)',
    'pass security group ids, not subnet or VPC ids',
    { securityGroupIds: ['subnet-0123456789abcdef0'] },
  ),
  {
    attribute: 'security_group_ids',
    hcl: text(guarded('security_group_ids', (x) => `length(${x}) <= ${L.SECURITY_GROUPS_PER_INTERFACE}`, true)),
    reason: text(`a network interface takes at most ${L.SECURITY_GROUPS_PER_INTERFACE} security groups by default`),
    fix: text('merge the rules into fewer groups'),
    check: (g) => offense(g.securityGroupIds, (s: string[]) => s.length <= L.SECURITY_GROUPS_PER_INTERFACE),
    example: { securityGroupIds: Array.from({ length: 6 }, (_, i) => `sg-0123456789abcdef${i}`) },
  },
  intRule(
    'root_volume_size',
    (ctx) => ctx.minimumRootVolumeGiB,
    L.GP3_MAX_SIZE_GIB,
    (c) => `use at least ${c.minimumRootVolumeGiB} GiB`,
    {
      why: (c) =>
        `the AMI's root snapshot is ${c.minimumRootVolumeGiB} GiB and gp3 volumes end at ${L.GP3_MAX_SIZE_GIB} GiB`,
      example: { rootVolumeSizeGiB: 20 },
    },
  ),
  intRule('root_volume_iops', L.GP3_IOPS.min, L.GP3_IOPS.max, "leave it unset for gp3's baseline 3000", {
    why: 'gp3',
    nullable: true,
    example: { rootVolumeIops: 100 },
  }),
  intRule('root_volume_throughput', L.GP3_THROUGHPUT_MIBPS.min, L.GP3_THROUGHPUT_MIBPS.max, 'use MiB/s, e.g. 250', {
    why: 'gp3, MiB/s',
    nullable: true,
    example: { rootVolumeThroughput: 5000 },
  }),
  eachRule(
    'extra_volumes',
    (v) =>
      `can(regex("^/dev/(sd[b-z]|xvd[b-z])$", ${v}.device_name)) && ${hclIntRange(`${v}.size`, 1, L.GP3_MAX_SIZE_GIB)}`,
    (v: { deviceName: string; sizeGiB: number }) =>
      (isUncheckable(v.deviceName) || /^\/dev\/(sd[b-z]|xvd[b-z])$/.test(v.deviceName)) &&
      (isUncheckable(v.sizeGiB) || inIntRange(v.sizeGiB, 1, L.GP3_MAX_SIZE_GIB)),
    `need a device name /dev/sdb…/dev/sdz or /dev/xvdb…/dev/xvdz and a size of 1–${L.GP3_MAX_SIZE_GIB} GiB`,
    'name each volume /dev/xvdb, /dev/xvdc, … and give its size in GiB',
    { extraVolumes: [{ deviceName: '/dev/xvda', sizeGiB: 100 }] },
  ),
  intRule(
    'http_put_response_hop_limit',
    L.IMDS_HOP_LIMIT.min,
    L.IMDS_HOP_LIMIT.max,
    'use 1 (host only) or 2 (containers reach IMDS)',
    {
      why: 'the IMDS limits',
      example: { httpPutResponseHopLimit: 65 },
    },
  ),
  intRule('container_stop_timeout_seconds', 1, 3600, 'use a few seconds up to an hour', {
    why: 'between SIGTERM and SIGKILL',
    example: { containerStopTimeoutSeconds: 0 },
  }),
  {
    attribute: 'user_data',
    hcl: text(
      `g.user_data == null ? true : (trimspace(g.user_data) == "" || ` +
        `startswith(trimspace(${userDataHcl('g.user_data')}), "#!") || ` +
        `startswith(trimspace(${userDataHcl('g.user_data')}), "#cloud-config"))`,
    ),
    reason: text('must be a shell script (#!…) or #cloud-config, as plain text or base64-encoded'),
    fix: text('pass the script itself (the module encodes it); base64 of a script is accepted and decoded'),
    check: (g) => offense(g.userData, (u: string) => u.trim() === '' || normalizeUserData(u) !== undefined),
    example: { userData: 'echo hello' },
  },
  {
    attribute: 'delete_timeout',
    hcl: text('can(regex("^[0-9]+(s|m|h)$", g.delete_timeout))'),
    reason: text('must be a Terraform duration such as "20m" or "1h"'),
    fix: text('write a number followed by s, m or h'),
    check: (g) => offense(g.deleteTimeout, (t: string) => /^[0-9]+(s|m|h)$/.test(t)),
    example: { deleteTimeout: '20 minutes' },
  },
  intRule('health_check_grace_period', 0, undefined, 'use 0 or more', {
    example: { healthCheckGracePeriodSeconds: -5 },
  }),
  ...refreshRules(),
  ...(['launch', 'terminate'] as const).flatMap((which): NodeGroupRule[] => [
    intRule(
      `${which}_hook.heartbeat_timeout`,
      L.HOOK_HEARTBEAT_SECONDS.min,
      L.HOOK_HEARTBEAT_SECONDS.max,
      `choose ${L.HOOK_HEARTBEAT_SECONDS.min}–${L.HOOK_HEARTBEAT_SECONDS.max} s; ` +
        'the gate records heartbeats, so a few minutes is enough',
      { why: 'the lifecycle hook limits', example: { [`${which}Hook`]: { heartbeatTimeoutSeconds: 20 } } },
    ),
    {
      attribute: `${which}_hook.default_result`,
      hcl: text(hclOneOf(`g.${which}_hook.default_result`, ['CONTINUE', 'ABANDON'])),
      reason: text(oneOfReason(['CONTINUE', 'ABANDON'])),
      fix: text('use "CONTINUE" or "ABANDON"'),
      check: (g) => offense(at(g, `${which}_hook.default_result`), (r: string) => r === 'CONTINUE' || r === 'ABANDON'),
      example: { [`${which}Hook`]: { defaultResult: 'RETRY' as never } },
    },
  ]),
  intRule('mixed_instances.on_demand_base_capacity', 0, undefined, 'use 0 or more', {
    example: { mixedInstances: { onDemandBaseCapacity: -1 } },
  }),
  intRule(
    'mixed_instances.on_demand_percentage_above_base_capacity',
    0,
    100,
    'use 0 (all spot) to 100 (all on-demand)',
    {
      example: { mixedInstances: { onDemandPercentageAboveBaseCapacity: 120 } },
    },
  ),
  ...capacityProviderRules(),
];
