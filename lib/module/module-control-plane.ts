/**
 * The module's control plane beyond the gates: notifications (SNS topic), the AMI watcher and the agent monitor — the
 * constructs EcsAmiRollout wires for cdktf users, fed the one iterated node group and a lister that renders their
 * per-node-group lists (WATCHER_CONFIG / MONITOR_CONFIG, IAM resources, event patterns) as `for` expressions.
 *
 * What the constructs decide in TypeScript is re-expressed below, one named override each:
 * - the topic exists unless `notification_topic_arn` is given (`count`), and every function publishes to whichever;
 * - the webhook parameter (`webhook_parameter_name`, optional): environment variable and a dynamic IAM statement;
 * - `enable_ami_watcher` / `enable_agent_monitor`: the function is always deployed, its rules are DISABLED when off
 *   (as the drain gate under `drain_owner = "ecs"`), so the module needs no `count` on a whole part;
 * - the control-plane view of the iterated node group ({@link controlPlaneView}): its AMI mode, parameters and refresh
 *   preferences per map entry, with `null` where the construct would omit an attribute.
 */
import { Construct } from 'constructs';
import { Fn, MapTerraformIterator, Op, TerraformLocal, Token } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { AwsContext } from '../aws-context';
import { NodejsFunction } from '../function';
import { AgentMonitor, AGENT_MONITOR_DEFAULTS } from '../monitor/agent-monitor';
import { NodeGroup } from '../node-group/node-group';
import { Notifications } from '../notifications';
import { AmiWatcher, AMI_WATCHER_DEFAULTS } from '../watcher/ami-watcher';
import { eachValue, forEachNodeGroup, hcl } from './expressions';
import { prefixNames } from './module-gates';
import { intRange, message, scheduleRule, VariableSpec } from './module-variables';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const windows = 'var.maintenance_windows';

/** Inputs of the notifications part. */
export const NOTIFICATION_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  notification_topic_arn: {
    type: 'string',
    default: null,
    description:
      'Existing SNS topic every function publishes to. Default: the module ' +
      'creates `<name_prefix>-ecs-ami-rollout`, encrypted with alias/aws/sns.',
    validation: [
      {
        condition:
          'var.notification_topic_arn == null ? true : ' +
          'can(regex("^arn:aws[a-z-]*:sns:[^:]+:[0-9]{12}:.+$", var.notification_topic_arn))',
        message: message(
          'notification_topic_arn',
          'must be an SNS topic ARN',
          'pass the ARN of an existing topic, e.g. arn:aws:sns:eu-west-1:123456789012:ops, or leave it unset',
        ),
      },
    ],
  },
  webhook_parameter_name: {
    type: 'string',
    default: null,
    description:
      'Name of an SSM SecureString parameter holding a Slack-style incoming webhook URL (read at ' +
      'run time: never in an environment variable, in state or in a log line). Default: no webhook.',
    validation: [
      {
        condition:
          'var.webhook_parameter_name == null ? true : (length(var.webhook_parameter_name) ' +
          '<= 2048 && can(regex("^/?[a-zA-Z0-9_./-]+$", var.webhook_parameter_name)))',
        message: message(
          'webhook_parameter_name',
          'may only contain letters, digits and _ . - / (at most 2048 characters)',
          'pass the name of an SSM SecureString parameter, e.g. /ops/slack-webhook',
        ),
      },
    ],
  },
};

/** Inputs of the AMI watcher part. */
export const WATCHER_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  enable_ami_watcher: {
    type: 'bool',
    default: true,
    nullable: false,
    description:
      'Run the AMI watcher. Without it, node groups in ami_mode "auto" stay on the AMI they ' +
      'were created with. When false the watcher stays deployed with its rules disabled.',
  },
  ami_watcher_schedule: {
    type: 'string',
    default: AMI_WATCHER_DEFAULTS.schedule,
    nullable: false,
    description:
      'How often the AMI watcher checks the source parameters (AWS publishes no release event for ECS Linux AMIs).',
    validation: [scheduleRule('ami_watcher_schedule')],
  },
  min_ami_age_hours: {
    type: 'number',
    default: AMI_WATCHER_DEFAULTS.minAmiAgeHours,
    nullable: false,
    description: 'Minimum age of a new AMI (since its creation date) before the watcher promotes it.',
    validation: [intRange('min_ami_age_hours', 0, 720, 'use 0 (promote at once) to 720 hours')],
  },
  maintenance_windows: {
    type: 'list(object({ days = list(string), start_hour = number, end_hour = number }))',
    default: [],
    nullable: false,
    description:
      `UTC windows in which promotions (ami_mode "auto") may start: days (${WEEKDAYS.join(', ')}), ` +
      `start_hour (0–23) and end_hour (1–24, exclusive). Default: any time.`,
    validation: [
      {
        condition:
          `alltrue([for w in ${windows} : length(w.days) > 0 && alltrue([for ` +
          `d in w.days : contains(${JSON.stringify(WEEKDAYS)}, d)])])`,
        message: message(
          'maintenance_windows[*].days',
          `must be a non-empty list of ${WEEKDAYS.join(', ')}`,
          'list weekdays such as ["Tue", "Wed"]',
        ),
      },
      {
        condition:
          `alltrue([for w in ${windows} : floor(w.start_hour) == w.start_hour && w.start_hour >= 0 && ` +
          `w.start_hour <= 23 && floor(w.end_hour) == w.end_hour && w.end_hour >= 1 && w.end_hour <= 24])`,
        message: message(
          'maintenance_windows[*].start_hour/end_hour',
          'must be integers, start_hour 0–23 and end_hour 1–24',
          'use UTC hours',
        ),
      },
      {
        condition: `alltrue([for w in ${windows} : w.end_hour > w.start_hour])`,
        message: message(
          'maintenance_windows[*]',
          'must end after it starts',
          'set end_hour > start_hour (split windows that cross midnight)',
        ),
      },
    ],
  },
};

/** Inputs of the agent monitor part. */
export const MONITOR_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  enable_agent_monitor: {
    type: 'bool',
    default: true,
    nullable: false,
    description:
      'Run the agent monitor (disconnected agents, failed agent updates, impaired ' +
      'instances, AMI drift). When false it stays deployed with its rule disabled.',
  },
  agent_monitor_schedule: {
    type: 'string',
    default: AGENT_MONITOR_DEFAULTS.schedule,
    nullable: false,
    description: 'How often the agent monitor checks the fleet.',
    validation: [scheduleRule('agent_monitor_schedule')],
  },
  update_agents: {
    type: 'bool',
    default: AGENT_MONITOR_DEFAULTS.updateAgents,
    nullable: false,
    description:
      'Let the agent monitor update ECS agents that are behind the newest version in the fleet, ' +
      'one instance at a time (the role may call ecs:UpdateContainerAgent only when true).',
  },
};

/** The notifications: the construct's topic, created only without `notification_topic_arn`. */
export function createModuleNotifications(scope: Construct, awsContext: AwsContext): Notifications {
  const notifications = new Notifications(scope, 'notifications', { namePrefix: hcl('local.name_prefix'), awsContext });
  const topic = notifications.node.findChild('topic') as SnsTopic;
  topic.addOverride('count', '${var.notification_topic_arn == null ? 1 : 0}');
  // The construct publishes to `topicArn`; with count, the created topic is `one(...[*].arn)` (null when not created).
  (notifications as { topicArn: string }).topicArn = hcl(
    `var.notification_topic_arn != null ? var.notification_topic_arn : ` +
      `one(${topic.terraformResourceType}.${topic.friendlyUniqueId}[*].arn)`,
  );
  return notifications;
}

/** The optional webhook (the construct decides in TypeScript): environment variable and a dynamic IAM statement. */
export function addModuleWebhook(fn: NodejsFunction, awsContext: AwsContext): void {
  fn.lambdaFunction.addOverride(
    'environment.variables.NOTIFY_WEBHOOK_PARAMETER',
    '${var.webhook_parameter_name != null ? var.webhook_parameter_name : ""}',
  );
  const document = fn.node.findChild('RolePolicyDocument') as DataAwsIamPolicyDocument;
  document.addOverride('dynamic.statement', {
    for_each: '${var.webhook_parameter_name != null ? [var.webhook_parameter_name] : []}',
    iterator: 'webhook',
    // AwsContext.ssmParameterArn's form, with the dynamic block's iterator (a raw reference, not a token).
    content: {
      sid: 'ReadWebhookUrl',
      effect: 'Allow',
      actions: ['ssm:GetParameter'],
      resources: [
        `arn:${awsContext.partition}:ssm:${awsContext.region}:` +
          `${awsContext.accountId}:parameter/\${trimprefix(webhook.value, "/")}`,
      ],
    },
  });
}

/** Every EventBridge rule of `fn` on or off with a module variable. */
export function switchRules(fn: NodejsFunction, enabled: string): void {
  for (const rule of fn.node.findAll().filter((c): c is CloudwatchEventRule => c instanceof CloudwatchEventRule)) {
    rule.state = hcl(`${enabled} ? "ENABLED" : "DISABLED"`);
  }
}

/**
 * The iterated node group as the watcher and monitor read it: the AMI mode, source, approved and previous parameters
 * and the refresh preferences of each map entry (iterator-relative, so they render as `val.…` inside the lists), with
 * `null` where the construct would leave an attribute out (the lister drops null attributes).
 */
export function controlPlaneView(group: NodeGroup, iterator: MapTerraformIterator, clusterName: string): NodeGroup {
  const value = (...path: string[]) => Fn.lookupNested(iterator.value, path);
  const isAuto = Op.eq(value('ami_mode'), 'auto');
  const prefix = `/ecs-ami-rollout/${clusterName}/${iterator.key}`;
  const checkpoints = value('instance_refresh', 'checkpoint_percentages');
  // (cdktf renders a literal 0 operand as "undefined": compare with 1)
  const hasCheckpoints = Op.gte(Fn.lengthOf(checkpoints), 1);
  const refresh = group.settings.instanceRefresh;
  return Object.create(group, {
    ami: {
      value: {
        ...group.ami,
        mode: eachValue(iterator, 'ami_mode'),
        sourceParameterName: eachValue(iterator, 'ami_ssm_parameter'),
        approvedParameterName: Token.asString(Fn.conditional(isAuto, `${prefix}/approved-ami`, null)),
        previousParameterName: Token.asString(Fn.conditional(isAuto, `${prefix}/previous-ami`, null)),
      },
    },
    settings: {
      value: {
        ...group.settings,
        instanceRefresh: {
          ...refresh,
          minHealthyPercentage: eachValue(iterator, 'instance_refresh', 'min_healthy_percentage'),
          maxHealthyPercentage: eachValue(iterator, 'instance_refresh', 'max_healthy_percentage'),
          instanceWarmupSeconds: eachValue(iterator, 'instance_refresh', 'instance_warmup'),
          checkpointPercentages: Token.asList(Fn.conditional(hasCheckpoints, checkpoints, null)),
          checkpointDelaySeconds: Token.asString(
            Fn.conditional(hasCheckpoints, value('instance_refresh', 'checkpoint_delay'), null),
          ),
          alarmNames: Token.asList(value('instance_refresh', 'alarm_names')),
        },
      },
    },
  }) as NodeGroup;
}

/** Props shared by the watcher and monitor parts. */
export interface ControlPlaneProps {
  readonly cluster: { clusterName: string; clusterArn: string };
  readonly nodeGroup: NodeGroup;
  readonly nodeGroups: MapTerraformIterator;
  readonly autoNodeGroups: MapTerraformIterator;
  readonly awsContext: AwsContext;
  readonly notifications: Notifications;
  readonly logRetentionDays: number;
}

function shared(props: ControlPlaneProps) {
  return {
    cluster: props.cluster,
    nodeGroups: [controlPlaneView(props.nodeGroup, props.nodeGroups, props.cluster.clusterName)],
    awsContext: props.awsContext,
    notifications: props.notifications,
    logRetentionDays: props.logRetentionDays,
    listNodeGroups: forEachNodeGroup(props.nodeGroups, { autoNodeGroups: props.autoNodeGroups, dropNulls: true }),
  };
}

/** The AMI watcher: one state parameter per node group (`for_each`), lists over the node-group map. */
export function createModuleWatcher(
  scope: Construct,
  props: ControlPlaneProps,
  vars: Record<string, { stringValue: string; numberValue: number }>,
): AmiWatcher {
  const watcher = new AmiWatcher(scope, 'ami-watcher', {
    ...shared(props),
    nodeGroupIterator: props.nodeGroups,
    schedule: vars.ami_watcher_schedule.stringValue,
    minAmiAgeHours: vars.min_ami_age_hours.numberValue,
    // The lambda's keys (camelCase) from the variable's snake_case attributes, through a local (a reference renders
    // inside WATCHER_CONFIG's jsonencode()).
    maintenanceWindows: new TerraformLocal(
      new Construct(scope, 'watcher-locals'),
      'maintenance_windows',
      `\${[for w in ${windows} : { days = w.days, startHour = w.start_hour, endHour = w.end_hour }]}`,
    ).asAnyMap as never,
  });
  prefixNames(watcher.function);
  addModuleWebhook(watcher.function, props.awsContext);
  switchRules(watcher.function, 'var.enable_ami_watcher');
  return watcher;
}

/** The agent monitor: lists over the node-group map; agent updates as the variable says. */
export function createModuleMonitor(
  scope: Construct,
  props: ControlPlaneProps,
  vars: Record<string, { stringValue: string; booleanValue: unknown }>,
): AgentMonitor {
  const monitor = new AgentMonitor(scope, 'agent-monitor', {
    ...shared(props),
    schedule: vars.agent_monitor_schedule.stringValue,
    updateAgents: vars.update_agents.booleanValue as boolean,
  });
  prefixNames(monitor.function);
  addModuleWebhook(monitor.function, props.awsContext);
  switchRules(monitor.function, 'var.enable_agent_monitor');
  return monitor;
}
