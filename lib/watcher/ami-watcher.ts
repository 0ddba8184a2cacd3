import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { AwsContext } from '../aws-context';
import { NodejsFunction } from '../function';
import { validateSweepSchedule } from '../gates/gate-settings';
import { ControlPlaneFunctionOptions } from '../function-options';
import { lambdaEntry } from '../lambda-entry';
import { ClusterReference, NodeGroup } from '../node-group/node-group';
import { Notifications } from '../notifications';
import { checkIntegerRange, checkName, invalid } from '../validation';

/** Defaults of the AMI watcher, defined once. */
export const AMI_WATCHER_DEFAULTS = {
  schedule: 'rate(1 hour)',
  /** A day lets AWS pull a broken release before it reaches the fleet. */
  minAmiAgeHours: 24,
} as const;

/** A UTC maintenance window: promotions (auto mode) start only inside one. */
export interface MaintenanceWindow {
  /** Weekdays, e.g. ['Tue', 'Wed', 'Thu']. */
  readonly days: ('Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun')[];
  /** First hour (UTC, 0–23) of the window. */
  readonly startHour: number;
  /** Hour (UTC, 1–24) the window ends, exclusive. */
  readonly endHour: number;
}

/** Options of the AMI watcher. */
export interface AmiWatcherOptions {
  /**
   * How often the source parameters are checked (AWS publishes no release event for ECS Linux AMIs any more).
   * @default 'rate(1 hour)'
   */
  readonly schedule?: string;
  /**
   * Minimum age of a new AMI (since its creation date) before it is promoted.
   * @default 24
   */
  readonly minAmiAgeHours?: number;
  /**
   * UTC windows in which promotions may start.
   * @default [] (any time)
   */
  readonly maintenanceWindows?: MaintenanceWindow[];
  /**
   * gitops mode: SSM SecureString parameter holding a pipeline webhook URL to POST when a new AMI is available.
   * @default none
   */
  readonly pipelineWebhookParameterName?: string;
  /**
   * Log retention in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/** Props of {@link AmiWatcher}. */
export interface AmiWatcherProps extends AmiWatcherOptions {
  readonly cluster: ClusterReference;
  readonly nodeGroups: NodeGroup[];
  readonly awsContext: AwsContext;
  readonly notifications: Notifications;
  /** Tracing, KMS and log settings shared by every function. @default see ControlPlaneFunctionOptions */
  readonly functionOptions?: ControlPlaneFunctionOptions;
}

/**
 * Detects new ECS-optimized AMIs and, per node group, promotes them (`auto`: writes the approved parameter and starts an
 * instance refresh; rolls back when the refresh fails) or reports them (`gitops`). Operators pause it with the
 * `/ecs-ami-rollout/<cluster>/paused` parameter.
 */
export class AmiWatcher extends Construct {
  readonly function: NodejsFunction;
  readonly pauseParameterName: string;
  readonly denyListParameterName: string;

  constructor(scope: Construct, id: string, props: AmiWatcherProps) {
    super(scope, id);
    const schedule = props.schedule ?? AMI_WATCHER_DEFAULTS.schedule;
    validateSweepSchedule(schedule, 'AmiWatcher.schedule');
    const minAge = props.minAmiAgeHours ?? AMI_WATCHER_DEFAULTS.minAmiAgeHours;
    checkIntegerRange('AmiWatcher.minAmiAgeHours', minAge, 0, 720, 'use 0 (promote at once) to 720 hours');
    (props.maintenanceWindows ?? []).forEach((w, i) => {
      checkIntegerRange(`AmiWatcher.maintenanceWindows[${i}].startHour`, w.startHour, 0, 23, 'use a UTC hour 0–23');
      checkIntegerRange(`AmiWatcher.maintenanceWindows[${i}].endHour`, w.endHour, 1, 24, 'use a UTC hour 1–24');
      if (w.endHour <= w.startHour) invalid(`AmiWatcher.maintenanceWindows[${i}]`, w, 'must end after it starts', 'set endHour > startHour (split windows that cross midnight)');
      if (w.days.length === 0) invalid(`AmiWatcher.maintenanceWindows[${i}].days`, w.days, 'must not be empty', 'list weekdays such as ["Tue", "Wed"]');
    });
    checkName(
      'AmiWatcher.pipelineWebhookParameterName',
      props.pipelineWebhookParameterName,
      { maxLength: 2048, pattern: /^\/?[a-zA-Z0-9_.\-/]+$/, allowedChars: 'letters, digits and _ . - /' },
      'pass the NAME of an SSM SecureString parameter holding the URL (never the URL itself)',
    );
    const sourceless = props.nodeGroups.filter((group) => !group.ami.sourceParameterName);
    const prefix = `/ecs-ami-rollout/${props.cluster.clusterName}`;
    const parameter = (pid: string, name: string, value: string, description: string) =>
      new SsmParameter(this, pid, { name, description, type: 'String', value, lifecycle: { ignoreChanges: ['value', 'insecure_value'] } });

    const pause = parameter('paused', `${prefix}/paused`, 'false', 'Set to "true" to stop AMI promotions (ecs-ami-rollout watcher)');
    const denyList = parameter('denied-amis', `${prefix}/denied-amis`, '[]', 'AMIs the watcher never promotes again (rolled back)');
    this.pauseParameterName = pause.name;
    this.denyListParameterName = denyList.name;
    const watched = props.nodeGroups.filter((group) => !sourceless.includes(group));
    const states = watched.map((group) =>
      parameter(`state-${group.settings.name}`, `${prefix}/${group.settings.name}/watcher-state`, '{}', 'Promotion history (ecs-ami-rollout watcher)'),
    );

    const config = {
      clusterName: props.cluster.clusterName,
      clusterArn: props.cluster.clusterArn,
      nodeGroups: watched.map((group, i) => ({
        name: group.settings.name,
        asgName: group.autoScalingGroupName,
        mode: group.ami.mode,
        sourceParameterName: group.ami.sourceParameterName,
        ...(group.ami.approvedParameterName
          ? { approvedParameterName: group.ami.approvedParameterName, previousParameterName: group.ami.previousParameterName }
          : {}),
        stateParameterName: states[i].name,
        refreshPreferences: {
          minHealthyPercentage: group.settings.instanceRefresh.minHealthyPercentage,
          maxHealthyPercentage: group.settings.instanceRefresh.maxHealthyPercentage,
          instanceWarmupSeconds: group.settings.instanceRefresh.instanceWarmupSeconds,
          ...(group.settings.instanceRefresh.checkpointPercentages.length > 0
            ? {
                checkpointPercentages: group.settings.instanceRefresh.checkpointPercentages,
                checkpointDelaySeconds: group.settings.instanceRefresh.checkpointDelaySeconds,
              }
            : {}),
        },
      })),
      policy: { minAmiAgeHours: minAge, maintenanceWindows: props.maintenanceWindows ?? [] },
      pauseParameterName: pause.name,
      denyListParameterName: denyList.name,
      ...(props.pipelineWebhookParameterName ? { pipelineWebhookParameterName: props.pipelineWebhookParameterName } : {}),
    };
    this.function = new NodejsFunction(this, 'ami-watcher', {
      entry: lambdaEntry('watcher/ami-watcher'),
      description: 'ecs-ami-rollout AMI watcher: detects, promotes and rolls back ECS-optimized AMIs',
      timeoutSeconds: 60,
      reservedConcurrentExecutions: 1,
      ...props.functionOptions,
      logRetentionDays: props.logRetentionDays ?? props.functionOptions?.logRetentionDays,
      environment: {
        WATCHER_CONFIG: Fn.jsonencode(config),
        POWERTOOLS_SERVICE_NAME: 'ami-watcher',
        POWERTOOLS_METRICS_NAMESPACE: 'EcsAmiRollout',
        ...props.notifications.environment,
      },
    });
    this.function.addEventBridgeTrigger('schedule', { description: 'AMI watcher run', scheduleExpression: schedule });
    this.function.addEventBridgeTrigger('refresh-events', {
      description: 'Instance refresh and launch failures of the node groups → AMI watcher (notify, roll back)',
      eventPattern: {
        source: ['aws.autoscaling'],
        // Refresh events drive notifications and rollback; instance launch/terminate results advance rollback batches.
        'detail-type': [
          { prefix: 'EC2 Auto Scaling Instance Refresh' },
          'EC2 Instance Launch Successful',
          'EC2 Instance Launch Unsuccessful',
          'EC2 Instance Terminate Successful',
          'EC2 Instance Terminate Unsuccessful',
        ],
        detail: { AutoScalingGroupName: props.nodeGroups.map((g) => g.autoScalingGroupName) },
      },
    });
    this.grant(props, watched, [pause.arn], [denyList.arn, ...states.map((s) => s.arn)]);
    props.notifications.grantTo(this.function);
  }

  private grant(props: AmiWatcherProps, watched: NodeGroup[], readOnly: string[], writable: string[]): void {
    const fn = this.function;
    const ctx = props.awsContext;
    const auto = watched.filter((g) => g.ami.mode === 'auto');
    const owned = auto.flatMap((g) => [g.ami.approvedParameterName!, g.ami.previousParameterName!]).map((name) => ctx.ssmParameterArn(name));
    const sources = watched.map((g) => g.ami.sourceParameterName!);
    const sourceArns = sources.map((name) => (name.startsWith('/aws/service/') ? ctx.ssmParameterArn(name, '') : ctx.ssmParameterArn(name)));
    const webhook = props.pipelineWebhookParameterName ? [ctx.ssmParameterArn(props.pipelineWebhookParameterName)] : [];
    fn.addToRolePolicy({ sid: 'ReadAmiParameters', effect: 'Allow', actions: ['ssm:GetParameter'], resources: [...sourceArns, ...owned, ...readOnly, ...writable, ...webhook] });
    fn.addToRolePolicy({ sid: 'WriteOwnParameters', effect: 'Allow', actions: ['ssm:PutParameter'], resources: [...owned, ...writable] });
    fn.addToRolePolicy({
      // Describe* have no resource-level permissions; SSM also calls DescribeImages as this role to validate
      // aws:ec2:image parameter writes.
      sid: 'DescribeFleet',
      effect: 'Allow',
      actions: ['ec2:DescribeImages', 'ec2:DescribeInstances', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes'],
      resources: ['*'],
    });
    if (auto.length > 0) {
      fn.addToRolePolicy({
        sid: 'RollOwnGroups',
        effect: 'Allow',
        actions: ['autoscaling:StartInstanceRefresh', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: auto.map((g) => ctx.autoScalingGroupArn(g.autoScalingGroupName)),
      });
    }
  }
}
