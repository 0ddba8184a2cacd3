/**
 * Every rename of a module block, as a Terraform `moved` block (rendered into terraform-module/moved.tf.json), so that
 * upgrading the module moves state instead of replacing resources — the pause switch and the deny list above all.
 * Append an entry whenever a block is renamed or gets a count; never remove one (users may upgrade from any release).
 * __tests__/module/address-stability.test.ts checks that every address of the committed list
 * (__tests__/module/fixtures/module-addresses.json) still exists or is moved, and the plan matrix plans an upgrade from
 * the 0.1 names over seeded state.
 */

/** [from, to]: release 0.1 (construct-path names, no toggles) → short explicit names and toggles (count). */
export const MOVED_BLOCKS: readonly (readonly [string, string])[] = [
  [
    'aws_cloudwatch_event_rule.agent_monitor_agent_monitor_trigger_schedule_rule',
    'aws_cloudwatch_event_rule.agent_monitor_schedule[0]',
  ],
  [
    'aws_cloudwatch_event_rule.ami_watcher_ami_watcher_trigger_approved_ami_events_rule',
    'aws_cloudwatch_event_rule.ami_watcher_approved_ami_events[0]',
  ],
  [
    'aws_cloudwatch_event_rule.ami_watcher_ami_watcher_trigger_refresh_events_rule',
    'aws_cloudwatch_event_rule.ami_watcher_refresh_events[0]',
  ],
  [
    'aws_cloudwatch_event_rule.ami_watcher_ami_watcher_trigger_schedule_rule',
    'aws_cloudwatch_event_rule.ami_watcher_schedule[0]',
  ],
  [
    'aws_cloudwatch_event_rule.gates_drain_gate_trigger_instance_state_rule',
    'aws_cloudwatch_event_rule.drain_gate_instance_state[0]',
  ],
  ['aws_cloudwatch_event_rule.gates_drain_gate_trigger_sweep_rule', 'aws_cloudwatch_event_rule.drain_gate_sweep[0]'],
  [
    'aws_cloudwatch_event_rule.gates_drain_gate_trigger_terminate_lifecycle_rule',
    'aws_cloudwatch_event_rule.drain_gate_terminate_lifecycle[0]',
  ],
  [
    'aws_cloudwatch_event_rule.gates_launch_gate_trigger_instance_state_rule',
    'aws_cloudwatch_event_rule.launch_gate_instance_state',
  ],
  [
    'aws_cloudwatch_event_rule.gates_launch_gate_trigger_launch_lifecycle_rule',
    'aws_cloudwatch_event_rule.launch_gate_launch_lifecycle',
  ],
  ['aws_cloudwatch_event_rule.gates_launch_gate_trigger_sweep_rule', 'aws_cloudwatch_event_rule.launch_gate_sweep'],
  [
    'aws_cloudwatch_event_target.agent_monitor_agent_monitor_trigger_schedule_target',
    'aws_cloudwatch_event_target.agent_monitor_schedule[0]',
  ],
  [
    'aws_cloudwatch_event_target.ami_watcher_ami_watcher_trigger_approved_ami_events_target',
    'aws_cloudwatch_event_target.ami_watcher_approved_ami_events[0]',
  ],
  [
    'aws_cloudwatch_event_target.ami_watcher_ami_watcher_trigger_refresh_events_target',
    'aws_cloudwatch_event_target.ami_watcher_refresh_events[0]',
  ],
  [
    'aws_cloudwatch_event_target.ami_watcher_ami_watcher_trigger_schedule_target',
    'aws_cloudwatch_event_target.ami_watcher_schedule[0]',
  ],
  [
    'aws_cloudwatch_event_target.gates_drain_gate_trigger_instance_state_target',
    'aws_cloudwatch_event_target.drain_gate_instance_state[0]',
  ],
  [
    'aws_cloudwatch_event_target.gates_drain_gate_trigger_sweep_target',
    'aws_cloudwatch_event_target.drain_gate_sweep[0]',
  ],
  [
    'aws_cloudwatch_event_target.gates_drain_gate_trigger_terminate_lifecycle_target',
    'aws_cloudwatch_event_target.drain_gate_terminate_lifecycle[0]',
  ],
  [
    'aws_cloudwatch_event_target.gates_launch_gate_trigger_instance_state_target',
    'aws_cloudwatch_event_target.launch_gate_instance_state',
  ],
  [
    'aws_cloudwatch_event_target.gates_launch_gate_trigger_launch_lifecycle_target',
    'aws_cloudwatch_event_target.launch_gate_launch_lifecycle',
  ],
  [
    'aws_cloudwatch_event_target.gates_launch_gate_trigger_sweep_target',
    'aws_cloudwatch_event_target.launch_gate_sweep',
  ],
  ['aws_cloudwatch_log_group.agent_monitor_agent_monitor_log_group', 'aws_cloudwatch_log_group.agent_monitor[0]'],
  ['aws_cloudwatch_log_group.ami_watcher_ami_watcher_log_group', 'aws_cloudwatch_log_group.ami_watcher[0]'],
  ['aws_cloudwatch_log_group.gates_drain_gate_log_group', 'aws_cloudwatch_log_group.drain_gate[0]'],
  ['aws_cloudwatch_log_group.gates_launch_gate_log_group', 'aws_cloudwatch_log_group.launch_gate'],
  ['aws_ecs_cluster.this', 'aws_ecs_cluster.this[0]'],
  ['aws_ecs_cluster_capacity_providers.this', 'aws_ecs_cluster_capacity_providers.this[0]'],
  ['aws_iam_instance_profile.instance_role_profile', 'aws_iam_instance_profile.instance[0]'],
  ['aws_iam_role.agent_monitor_agent_monitor_role', 'aws_iam_role.agent_monitor[0]'],
  ['aws_iam_role.ami_watcher_ami_watcher_role', 'aws_iam_role.ami_watcher[0]'],
  ['aws_iam_role.gates_drain_gate_role', 'aws_iam_role.drain_gate[0]'],
  ['aws_iam_role.gates_launch_gate_role', 'aws_iam_role.launch_gate'],
  ['aws_iam_role.instance_role_role', 'aws_iam_role.instance[0]'],
  ['aws_iam_role_policy.agent_monitor_agent_monitor_role_policy', 'aws_iam_role_policy.agent_monitor[0]'],
  ['aws_iam_role_policy.ami_watcher_ami_watcher_role_policy', 'aws_iam_role_policy.ami_watcher[0]'],
  ['aws_iam_role_policy.gates_drain_gate_role_policy', 'aws_iam_role_policy.drain_gate[0]'],
  ['aws_iam_role_policy.gates_launch_gate_role_policy', 'aws_iam_role_policy.launch_gate'],
  [
    'aws_iam_role_policy_attachment.instance_role_managed_policy_0',
    'aws_iam_role_policy_attachment.instance_ecs_agent[0]',
  ],
  [
    'aws_iam_role_policy_attachment.instance_role_managed_policy_1',
    'aws_iam_role_policy_attachment.instance_ssm_core[0]',
  ],
  ['aws_lambda_function.agent_monitor', 'aws_lambda_function.agent_monitor[0]'],
  ['aws_lambda_function.ami_watcher', 'aws_lambda_function.ami_watcher[0]'],
  ['aws_lambda_function.drain_gate', 'aws_lambda_function.drain_gate[0]'],
  [
    'aws_lambda_function_event_invoke_config.agent_monitor_agent_monitor_event_invoke_config',
    'aws_lambda_function_event_invoke_config.agent_monitor[0]',
  ],
  [
    'aws_lambda_function_event_invoke_config.ami_watcher_ami_watcher_event_invoke_config',
    'aws_lambda_function_event_invoke_config.ami_watcher[0]',
  ],
  [
    'aws_lambda_function_event_invoke_config.gates_drain_gate_event_invoke_config',
    'aws_lambda_function_event_invoke_config.drain_gate[0]',
  ],
  [
    'aws_lambda_function_event_invoke_config.gates_launch_gate_event_invoke_config',
    'aws_lambda_function_event_invoke_config.launch_gate',
  ],
  [
    'aws_lambda_permission.agent_monitor_agent_monitor_trigger_schedule_permission',
    'aws_lambda_permission.agent_monitor_schedule[0]',
  ],
  [
    'aws_lambda_permission.ami_watcher_ami_watcher_trigger_approved_ami_events_permission',
    'aws_lambda_permission.ami_watcher_approved_ami_events[0]',
  ],
  [
    'aws_lambda_permission.ami_watcher_ami_watcher_trigger_refresh_events_permission',
    'aws_lambda_permission.ami_watcher_refresh_events[0]',
  ],
  [
    'aws_lambda_permission.ami_watcher_ami_watcher_trigger_schedule_permission',
    'aws_lambda_permission.ami_watcher_schedule[0]',
  ],
  // The gates' aws_lambda_permission blocks have no successor: their rules now feed an SQS queue (the gates' event
  // buffer), so Terraform destroys the old permissions.
  ['aws_sns_topic.notifications', 'aws_sns_topic.notifications[0]'],
  ['aws_sqs_queue.agent_monitor_agent_monitor_dead_letter_queue', 'aws_sqs_queue.agent_monitor_dlq[0]'],
  [
    'aws_sqs_queue.agent_monitor_agent_monitor_events_dead_letter_queue_queue',
    'aws_sqs_queue.agent_monitor_events_dlq[0]',
  ],
  ['aws_sqs_queue.ami_watcher_ami_watcher_dead_letter_queue', 'aws_sqs_queue.ami_watcher_dlq[0]'],
  ['aws_sqs_queue.ami_watcher_ami_watcher_events_dead_letter_queue_queue', 'aws_sqs_queue.ami_watcher_events_dlq[0]'],
  ['aws_sqs_queue.gates_drain_gate_dead_letter_queue', 'aws_sqs_queue.drain_gate_dlq[0]'],
  ['aws_sqs_queue.gates_drain_gate_events_dead_letter_queue_queue', 'aws_sqs_queue.drain_gate_events_dlq[0]'],
  ['aws_sqs_queue.gates_launch_gate_dead_letter_queue', 'aws_sqs_queue.launch_gate_dlq'],
  ['aws_sqs_queue.gates_launch_gate_events_dead_letter_queue_queue', 'aws_sqs_queue.launch_gate_events_dlq'],
  [
    'aws_sqs_queue_policy.agent_monitor_agent_monitor_events_dead_letter_queue_policy',
    'aws_sqs_queue_policy.agent_monitor_events_dlq[0]',
  ],
  [
    'aws_sqs_queue_policy.ami_watcher_ami_watcher_events_dead_letter_queue_policy',
    'aws_sqs_queue_policy.ami_watcher_events_dlq[0]',
  ],
  [
    'aws_sqs_queue_policy.gates_drain_gate_events_dead_letter_queue_policy',
    'aws_sqs_queue_policy.drain_gate_events_dlq[0]',
  ],
  [
    'aws_sqs_queue_policy.gates_launch_gate_events_dead_letter_queue_policy',
    'aws_sqs_queue_policy.launch_gate_events_dlq',
  ],
  ['aws_ssm_parameter.ami_watcher_denied_amis', 'aws_ssm_parameter.denied_amis'],
  ['aws_ssm_parameter.ami_watcher_paused', 'aws_ssm_parameter.paused'],
];
