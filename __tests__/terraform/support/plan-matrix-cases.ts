/**
 * The routine edits of the plan matrix: each case is one deployed module instance (`before`) and one edit (`after`),
 * with the resource changes Terraform must plan for it (`address: actions`, no-ops left out).
 */
import { MOVED_BLOCKS } from '../../../scripts/module/moved-blocks';
import type { ModuleCase } from '../../support/terraform/seeded-module-plans';

/** What no routine change may replace or delete. */
export const PROTECTED = new Set([
  'aws_autoscaling_group',
  'aws_ecs_capacity_provider',
  'aws_ecs_cluster',
  'aws_ecs_cluster_capacity_providers',
  'aws_ssm_parameter',
]);

export interface MatrixCase extends ModuleCase {
  /** The node group whose own resources the edit removes. */
  readonly removedGroup?: string;
  readonly expected: Readonly<Record<string, string>>;
}

const NETWORK = {
  subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  security_group_ids: ['sg-0a1b2c3d4e5f60001'],
};

/** A lean deployed fleet: one x86 node group with 3 instances; watcher and monitor off unless the case needs them. */
function base(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cluster_name: `mx-${name.replace(/_/g, '-')}`,
    ...NETWORK,
    enable_ami_watcher: false,
    enable_agent_monitor: false,
    node_groups: { x86: { desired_capacity: 3 } },
    tags: { team: 'platform' },
    ...extra,
  };
}

/** The drain gate's resources (a toggle: all created or deleted together). */
function drainGate(action: 'create' | 'delete'): Record<string, string> {
  const triggers = ['instance_state', 'sweep', 'terminate_lifecycle'];
  const names = [
    'aws_cloudwatch_log_group.drain_gate[0]',
    'aws_iam_role.drain_gate[0]',
    'aws_iam_role_policy.drain_gate[0]',
    'aws_lambda_function.drain_gate[0]',
    'aws_lambda_function_event_invoke_config.drain_gate[0]',
    'aws_sqs_queue.drain_gate_dlq[0]',
    'aws_sqs_queue.drain_gate_events_dlq[0]',
    'aws_sqs_queue_policy.drain_gate_events_dlq[0]',
    // the gate's event buffer: its rules feed the queue, the function reads it through the mapping
    'aws_sqs_queue.drain_gate_events[0]',
    'aws_sqs_queue_policy.drain_gate_events[0]',
    'aws_lambda_event_source_mapping.drain_gate_events[0]',
    ...triggers.flatMap((t) =>
      ['aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target'].map((type) => `${type}.drain_gate_${t}[0]`),
    ),
  ];
  return Object.fromEntries(names.map((n) => [n, action]));
}

/** A node group's own resources (launch template, group, hooks, capacity provider, AMI and watcher parameters). */
function nodeGroup(key: string, action: 'create' | 'delete'): Record<string, string> {
  const types = [
    'aws_launch_template.node_group',
    'aws_autoscaling_group.node_group',
    'aws_autoscaling_lifecycle_hook.launch_gate',
    'aws_autoscaling_lifecycle_hook.drain_gate',
    'aws_ecs_capacity_provider.node_group',
    'aws_ssm_parameter.approved_ami',
    'aws_ssm_parameter.previous_ami',
    'aws_ssm_parameter.watcher_state',
  ];
  return Object.fromEntries(types.map((t) => [`${t}["${key}"]`, action]));
}

/**
 * Policy documents that refer to a resource with a pending change are read again at apply (Terraform:
 * "read_because_dependency_pending"), so the role and queue policies built from them show as in-place updates with a
 * policy "known after apply" — the same text in the end.
 */
const REREAD_POLICIES = {
  'aws_iam_role_policy.drain_gate[0]': 'update',
  'aws_iam_role_policy.launch_gate': 'update',
  'aws_sqs_queue_policy.drain_gate_events_dlq[0]': 'update',
  'aws_sqs_queue_policy.launch_gate_events_dlq': 'update',
  'aws_sqs_queue_policy.drain_gate_events[0]': 'update',
  'aws_sqs_queue_policy.launch_gate_events': 'update',
};

/** GATE_CONFIG lists the node groups and their heartbeats: both gate functions get the new configuration. */
const GATE_CONFIG = { 'aws_lambda_function.drain_gate[0]': 'update', 'aws_lambda_function.launch_gate': 'update' };

const GITOPS = {
  ami_mode: 'gitops',
  instance_refresh: { checkpoint_percentages: [50, 100], checkpoint_delay: 600, alarm_names: ['web-5xx-rate-high'] },
};

/** Node-group edits, one node group each, in one module instance (fewer instances, faster plans). */
const NODE_GROUP_EDITS: Record<string, [Record<string, unknown>, Record<string, unknown>]> = {
  'launch-heartbeat': [{}, { launch_hook: { heartbeat_timeout: 1200 } }],
  'launch-result': [{}, { launch_hook: { default_result: 'CONTINUE' } }],
  'terminate-heartbeat': [{}, { terminate_hook: { heartbeat_timeout: 1800 } }],
  'terminate-result': [{}, { terminate_hook: { default_result: 'ABANDON' } }],
  'instance-type': [{}, { instance_types: ['m7i.xlarge'] }],
  sizes: [{}, { min_size: 2, max_size: 12, desired_capacity: 4 }],
  gitops: [
    { ...GITOPS, ami_id: 'ami-0123456789abcdef1' },
    { ...GITOPS, ami_id: 'ami-0123456789abcdef2' },
  ],
};
const groups = (which: 0 | 1) =>
  Object.fromEntries(
    Object.entries(NODE_GROUP_EDITS).map(([key, edits]) => [
      key,
      { desired_capacity: 2, ...edits[0], ...edits[which] },
    ]),
  );

const edit = (
  name: string,
  after: Record<string, unknown>,
  expected: Record<string, string>,
  before: Record<string, unknown> = {},
): MatrixCase => ({ name, before: base(name, before), after: base(name, { ...before, ...after }), expected });

/** A tag change updates every taggable resource in place (the policies are re-read, see REREAD_POLICIES). */
const TAGGED: Record<string, string> = {
  ...Object.fromEntries(
    [
      'aws_autoscaling_group.node_group["x86"]',
      'aws_launch_template.node_group["x86"]',
      'aws_ecs_capacity_provider.node_group["x86"]',
      'aws_ecs_cluster.this[0]',
      'aws_iam_instance_profile.instance[0]',
      'aws_iam_role.instance[0]',
      'aws_sns_topic.notifications[0]',
      'aws_ssm_parameter.agent_monitor_state',
      'aws_ssm_parameter.approved_ami["x86"]',
      'aws_ssm_parameter.previous_ami["x86"]',
      'aws_ssm_parameter.denied_amis',
      'aws_ssm_parameter.paused',
      'aws_ssm_parameter.watcher_state["x86"]',
      ...['launch_gate', 'drain_gate[0]'].flatMap((fn) => {
        const [name, index] = fn.split('[');
        const at = (suffix: string) => `${name}${suffix}${index ? `[${index}` : ''}`;
        return [
          `aws_cloudwatch_log_group.${at('')}`,
          `aws_iam_role.${at('')}`,
          `aws_lambda_function.${at('')}`,
          `aws_sqs_queue.${at('_dlq')}`,
          `aws_sqs_queue.${at('_events_dlq')}`,
          `aws_sqs_queue.${at('_events')}`,
          `aws_lambda_event_source_mapping.${at('_events')}`,
          `aws_cloudwatch_event_rule.${at('_sweep')}`,
          `aws_cloudwatch_event_rule.${at('_instance_state')}`,
          `aws_cloudwatch_event_rule.${at(name === 'launch_gate' ? '_launch_lifecycle' : '_terminate_lifecycle')}`,
        ];
      }),
    ].map((address) => [address, 'update']),
  ),
  ...REREAD_POLICIES,
};

const TWO_GROUPS = { node_groups: { x86: { desired_capacity: 3 }, old: { desired_capacity: 2 } } };

export const MATRIX_CASES: readonly MatrixCase[] = [
  edit(
    'node_groups',
    { node_groups: groups(1) },
    {
      'aws_autoscaling_lifecycle_hook.launch_gate["launch-heartbeat"]': 'update',
      'aws_autoscaling_lifecycle_hook.launch_gate["launch-result"]': 'update',
      'aws_autoscaling_lifecycle_hook.drain_gate["terminate-heartbeat"]': 'update',
      'aws_autoscaling_lifecycle_hook.drain_gate["terminate-result"]': 'update',
      // a new launch template version → the group starts an instance refresh
      'aws_launch_template.node_group["instance-type"]': 'update',
      'aws_autoscaling_group.node_group["instance-type"]': 'update',
      'aws_autoscaling_group.node_group["sizes"]': 'update',
      'aws_launch_template.node_group["gitops"]': 'update',
      'aws_autoscaling_group.node_group["gitops"]': 'update',
      ...GATE_CONFIG,
    },
    { node_groups: groups(0) },
  ),
  edit(
    'drain_owner_ecs',
    { drain_owner: 'ecs' },
    {
      ...drainGate('delete'),
      'aws_autoscaling_lifecycle_hook.drain_gate["x86"]': 'delete',
      // managed draining ENABLED, in place
      'aws_ecs_capacity_provider.node_group["x86"]': 'update',
    },
  ),
  edit(
    'drain_owner_lambda',
    { drain_owner: 'lambda' },
    {
      ...drainGate('create'),
      'aws_autoscaling_lifecycle_hook.drain_gate["x86"]': 'create',
      'aws_ecs_capacity_provider.node_group["x86"]': 'update',
    },
    { drain_owner: 'ecs' },
  ),
  edit(
    'schedules',
    {
      sweep_schedule: 'rate(2 minutes)',
      ami_watcher_schedule: 'rate(2 hours)',
      agent_monitor_schedule: 'rate(30 minutes)',
    },
    {
      'aws_cloudwatch_event_rule.launch_gate_sweep': 'update',
      'aws_cloudwatch_event_rule.drain_gate_sweep[0]': 'update',
      'aws_cloudwatch_event_rule.ami_watcher_schedule[0]': 'update',
      'aws_cloudwatch_event_rule.agent_monitor_schedule[0]': 'update',
      'aws_sqs_queue_policy.launch_gate_events_dlq': 'update',
      'aws_sqs_queue_policy.drain_gate_events_dlq[0]': 'update',
      'aws_sqs_queue_policy.ami_watcher_events_dlq[0]': 'update',
      'aws_sqs_queue_policy.agent_monitor_events_dlq[0]': 'update',
      // the gates' event-buffer policies name their rules' ARNs
      'aws_sqs_queue_policy.launch_gate_events': 'update',
      'aws_sqs_queue_policy.drain_gate_events[0]': 'update',
    },
    { enable_ami_watcher: true, enable_agent_monitor: true },
  ),
  edit('tags', { tags: { team: 'platform', cost_center: 'ecs-42' } }, TAGGED),
  {
    ...edit(
      'membership',
      { node_groups: { x86: { desired_capacity: 3 }, new: { architecture: 'arm64', desired_capacity: 2 } } },
      {
        ...nodeGroup('old', 'delete'),
        ...nodeGroup('new', 'create'),
        // the gates' rules, configuration and permissions follow the node group list; the cluster lists the providers
        'aws_cloudwatch_event_rule.drain_gate_terminate_lifecycle[0]': 'update',
        'aws_cloudwatch_event_rule.launch_gate_launch_lifecycle': 'update',
        'aws_ecs_cluster_capacity_providers.this[0]': 'update',
        ...GATE_CONFIG,
        ...REREAD_POLICIES,
      },
      TWO_GROUPS,
    ),
    removedGroup: 'old',
  },
];

/**
 * A fleet deployed by release 0.1 (block names from construct paths, no toggles, no hook resources), planned with this
 * release: its state is seeded under the 0.1 addresses (MOVED_BLOCKS backwards).
 */
export function upgradeCase(): ModuleCase {
  const earlier = new Map(MOVED_BLOCKS.map(([from, to]) => [to, from]));
  return {
    name: 'upgrade',
    before: base('upgrade', { enable_ami_watcher: true, enable_agent_monitor: true }),
    after: base('upgrade', { enable_ami_watcher: true, enable_agent_monitor: true }),
    stateAddress: (rc, local) => {
      if (rc.type === 'aws_autoscaling_lifecycle_hook') return undefined; // new in this release
      const from = earlier.get(local);
      if (!from) return { module: rc.module_address, type: rc.type, name: rc.name, index: rc.index };
      const [type, name] = from.split('.');
      return { module: rc.module_address, type, name };
    },
  };
}
