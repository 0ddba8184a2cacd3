/**
 * Inputs of the notifications, AMI watcher and agent monitor parts. Defaults come from the constructs
 * (AMI_WATCHER_DEFAULTS, AGENT_MONITOR_DEFAULTS), validations from lib/setting-rules.ts.
 */
import { AGENT_MONITOR_DEFAULTS } from '../../lib/monitor/agent-monitor';
import { moduleMessage } from '../../lib/rules';
import { MAINTENANCE_WINDOW_RULES, SETTING_RULES, WEEKDAYS } from '../../lib/setting-rules';
import { AMI_WATCHER_DEFAULTS } from '../../lib/watcher/ami-watcher';
import { settingVariable, VariableSpec } from './module-variables';

const R = SETTING_RULES;

export const NOTIFICATION_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  notification_topic_arn: settingVariable(R.notification_topic_arn, {
    type: 'string',
    default: null,
    description:
      'Existing SNS topic every function publishes to. Default: the module creates `<name_prefix>-ecs-ami-rollout`.',
  }),
  notification_kms_key_arn: {
    type: 'string',
    default: null,
    description:
      'Customer managed KMS key of the topic (the created one is encrypted with it; for an existing topic, its ' +
      'key): every function may use it to publish. Default: a created topic uses alias/aws/sns.',
  },
  webhook_parameter_name: settingVariable(R.webhook_parameter_name, {
    type: 'string',
    default: null,
    description:
      'Name of an SSM SecureString parameter holding a Slack-style incoming webhook URL (read at run time: never ' +
      'in an environment variable, in state or in a log line). Default: no webhook.',
  }),
  webhook_kms_key_arn: {
    type: 'string',
    default: null,
    description:
      'Customer managed KMS key of the webhook parameter: the functions may decrypt through SSM only. Default: ' +
      'aws/ssm.',
  },
};

export const WATCHER_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  enable_ami_watcher: {
    type: 'bool',
    default: true,
    nullable: false,
    description:
      'Deploy the AMI watcher. false removes its function, rules, queues, role and log group (node groups in ' +
      'ami_mode "auto" then stay on their AMI); its state parameters stay, so turning it back on resumes.',
  },
  ami_watcher_schedule: settingVariable(R.ami_watcher_schedule, {
    type: 'string',
    default: AMI_WATCHER_DEFAULTS.schedule,
    nullable: false,
    description:
      'How often the AMI watcher checks the source parameters (AWS publishes no release event for ECS Linux AMIs).',
  }),
  min_ami_age_hours: settingVariable(R.min_ami_age_hours, {
    type: 'number',
    default: AMI_WATCHER_DEFAULTS.minAmiAgeHours,
    nullable: false,
    description: 'Minimum age of a new AMI (since its creation date) before the watcher promotes it.',
  }),
  maintenance_windows: {
    type: 'list(object({ days = list(string), start_hour = number, end_hour = number }))',
    default: [],
    nullable: false,
    description:
      `UTC windows in which promotions (ami_mode "auto") may start: days (${WEEKDAYS.join(', ')}), ` +
      'start_hour and end_hour (exclusive). Default: any time.',
    validation: MAINTENANCE_WINDOW_RULES.map((rule) => ({
      condition: `alltrue([for w in var.maintenance_windows : ${rule.hcl('w')}])`,
      message: moduleMessage(rule.attribute, rule.reason, rule.fix),
    })),
  },
};

export const MONITOR_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  enable_agent_monitor: {
    type: 'bool',
    default: true,
    nullable: false,
    description:
      'Deploy the agent monitor (disconnected agents, failed agent updates, impaired instances, AMI drift). ' +
      'false removes its function, rule, queues, role and log group.',
  },
  agent_monitor_schedule: settingVariable(R.agent_monitor_schedule, {
    type: 'string',
    default: AGENT_MONITOR_DEFAULTS.schedule,
    nullable: false,
    description: 'How often the agent monitor checks the fleet.',
  }),
  update_agents: {
    type: 'bool',
    default: AGENT_MONITOR_DEFAULTS.updateAgents,
    nullable: false,
    description:
      'Let the agent monitor update ECS agents that are behind the newest version in the fleet, one instance at ' +
      'a time (the role may call ecs:UpdateContainerAgent only when true).',
  },
};
