/**
 * The module's control plane beyond the gates: notifications (SNS topic), the AMI watcher and the agent monitor — the
 * constructs EcsAmiRollout wires for cdktf users, fed the one iterated node group and a lister that renders their
 * per-node-group lists (WATCHER_CONFIG / MONITOR_CONFIG, IAM resources, event patterns) as `for` expressions.
 *
 * What the constructs decide in TypeScript is re-expressed here, one named override each:
 * - the topic exists unless `notification_topic_arn` is given (a toggle), encrypted with `notification_kms_key_arn`;
 * - `enable_ami_watcher` / `enable_agent_monitor` are toggles: off, the function and everything named after it is not
 *   deployed; the watcher's state parameters (pause switch, deny list, promotion history) stay, so turning it back on
 *   resumes where it stopped;
 * - the control-plane view of the iterated node group ({@link controlPlaneView}): its AMI mode, parameters and refresh
 *   preferences per map entry, with `null` where the construct would omit an attribute.
 */
import { Construct } from 'constructs';
import { Fn, MapTerraformIterator, Op, TerraformLocal, Token } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { AwsContext } from '../../lib/aws-context';
import { nameAfterCluster } from '../../lib/naming';
import { AgentMonitor } from '../../lib/monitor/agent-monitor';
import { NodeGroup } from '../../lib/node-group/node-group';
import { Notifications } from '../../lib/notifications';
import { AmiWatcher } from '../../lib/watcher/ami-watcher';
import { eachValue, forEachNodeGroup, hcl } from './expressions';
import { addModuleFunctionSettings } from './module-functions';
import { toggle } from './toggles';
import { modulePrefix } from './expressions';

const windows = 'var.maintenance_windows';

/** The notifications: the construct's topic, created only without `notification_topic_arn`. */
export function createModuleNotifications(scope: Construct, awsContext: AwsContext): Notifications {
  const notifications = new Notifications(scope, 'notifications', {
    namePrefix: hcl('local.name_prefix'),
    awsContext,
    topicKmsKeyId: hcl('var.notification_kms_key_arn != null ? var.notification_kms_key_arn : "alias/aws/sns"'),
  });
  const topic = notifications.node.findChild('topic') as SnsTopic;
  toggle(notifications, 'var.notification_topic_arn == null');
  // The construct publishes to `topicArn`; with the toggle, the created topic is null when not created.
  (notifications as { topicArn: string }).topicArn = hcl(
    `var.notification_topic_arn != null ? var.notification_topic_arn : ` +
      `${topic.terraformResourceType}.${topic.friendlyUniqueId}.arn`,
  );
  return notifications;
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
  nameAfterCluster(watcher.function, hcl('local.name_prefix'), modulePrefix);
  addModuleFunctionSettings(watcher.function, props.awsContext);
  toggle(watcher.function, 'var.enable_ami_watcher');
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
  nameAfterCluster(monitor.function, hcl('local.name_prefix'), modulePrefix);
  addModuleFunctionSettings(monitor.function, props.awsContext);
  toggle(monitor.function, 'var.enable_agent_monitor');
  return monitor;
}
