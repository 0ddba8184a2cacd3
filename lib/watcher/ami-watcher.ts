import { Construct } from 'constructs';
import { Fn, ITerraformIterator, Token } from 'cdktf';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { AwsContext } from '../aws-context';
import { NodejsFunction } from '../function';
import { validateSweepSchedule } from '../gates/gate-settings';
import { concatLists, flattenList, listEach } from '../gates/gate-permissions';
import { ControlPlaneProps } from '../control-plane';
import { reservedConcurrencyOf } from '../function-options';
import { lambdaEntry } from '../lambda-entry';
import { NodeGroup } from '../node-group/node-group';
import { amiWatcherRules } from '../triggers/control-plane-triggers';
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
   * Also evaluate when this SNS topic publishes — meant for the legacy ECS-optimized AMI update topic. Off by default:
   * AWS stopped announcing Linux ECS AMI releases there in 2021, so the hourly poll of the public parameter is what
   * detects them; a message only triggers an ordinary evaluation (its body is not trusted).
   *
   * Terraform note: refreshing a subscription to an AWS-owned topic in another account can fail with
   * `AuthorizationError … 403` in some hashicorp/aws versions (the provider reads attributes it may not read).
   * @default none
   */
  readonly legacyAmiTopicArn?: string;
  /**
   * Log retention in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/** Props of {@link AmiWatcher}. */
export interface AmiWatcherProps extends AmiWatcherOptions, ControlPlaneProps {
  /**
   * For ONE node group built from a `for_each` iterator (the plain Terraform module): the per-node-group state parameter
   * is created once with `for_each` over this iterator, and referred to by its name (an iterated resource cannot be
   * referred to without a key from the list expressions).
   * @default one state parameter per NodeGroup construct
   */
  readonly nodeGroupIterator?: ITerraformIterator;
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
    // A list only Terraform knows (the module's variable) is validated by the variable itself.
    (Token.isUnresolved(props.maintenanceWindows) ? [] : (props.maintenanceWindows ?? [])).forEach((w, i) => {
      checkIntegerRange(`AmiWatcher.maintenanceWindows[${i}].startHour`, w.startHour, 0, 23, 'use a UTC hour 0–23');
      checkIntegerRange(`AmiWatcher.maintenanceWindows[${i}].endHour`, w.endHour, 1, 24, 'use a UTC hour 1–24');
      if (w.endHour <= w.startHour)
        invalid(
          `AmiWatcher.maintenanceWindows[${i}]`,
          w,
          'must end after it starts',
          'set endHour > startHour (split windows that cross midnight)',
        );
      if (w.days.length === 0)
        invalid(
          `AmiWatcher.maintenanceWindows[${i}].days`,
          w.days,
          'must not be empty',
          'list weekdays such as ["Tue", "Wed"]',
        );
    });
    if (
      props.legacyAmiTopicArn !== undefined &&
      !Token.isUnresolved(props.legacyAmiTopicArn) &&
      !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(props.legacyAmiTopicArn)
    ) {
      invalid(
        'AmiWatcher.legacyAmiTopicArn',
        props.legacyAmiTopicArn,
        'must be an SNS topic ARN',
        'pass e.g. arn:aws:sns:us-east-1:177427601217:ecs-optimized-amazon-ami-update',
      );
    }
    checkName(
      'AmiWatcher.pipelineWebhookParameterName',
      props.pipelineWebhookParameterName,
      { maxLength: 2048, pattern: /^\/?[a-zA-Z0-9_.\-/]+$/, allowedChars: 'letters, digits and _ . - /' },
      'pass the NAME of an SSM SecureString parameter holding the URL (never the URL itself)',
    );
    const sourceless = props.nodeGroups.filter((group) => !group.ami.sourceParameterName);
    const prefix = `/ecs-ami-rollout/${props.cluster.clusterName}`;
    const parameter = (pid: string, name: string, value: string, description: string) =>
      new SsmParameter(this, pid, {
        name,
        description,
        type: 'String',
        value,
        lifecycle: { ignoreChanges: ['value', 'insecure_value'] },
      });

    const pause = parameter(
      'paused',
      `${prefix}/paused`,
      'false',
      'Set to "true" to stop AMI promotions (ecs-ami-rollout watcher)',
    );
    const denyList = parameter(
      'denied-amis',
      `${prefix}/denied-amis`,
      '[]',
      'AMIs the watcher never promotes again (rolled back)',
    );
    this.pauseParameterName = pause.name;
    this.denyListParameterName = denyList.name;
    const watched = props.nodeGroups.filter((group) => !sourceless.includes(group));
    const list = props.listNodeGroups ?? listEach;
    const stateName = (group: NodeGroup) => `${prefix}/${group.settings.name}/watcher-state`;
    const stateDescription = 'Promotion history (ecs-ami-rollout watcher)';
    let stateOf: (group: NodeGroup) => { name: string; arn: string };
    if (props.nodeGroupIterator) {
      if (watched.length !== 1)
        invalid(
          'AmiWatcher.nodeGroups',
          watched.length,
          'must hold exactly one (iterated) node group with a source parameter when nodeGroupIterator is set',
          'pass the node group built from the iterator',
        );
      const state = parameter('state', stateName(watched[0]), '{}', stateDescription);
      state.forEach = props.nodeGroupIterator;
      stateOf = (group) => ({ name: stateName(group), arn: props.awsContext.ssmParameterArn(stateName(group)) });
    } else {
      const states = new Map(
        watched.map(
          (group) =>
            [group, parameter(`state-${group.settings.name}`, stateName(group), '{}', stateDescription)] as const,
        ),
      );
      stateOf = (group) => states.get(group)!;
    }

    const config = {
      clusterName: props.cluster.clusterName,
      clusterArn: props.cluster.clusterArn,
      nodeGroups: list(watched, (group) => ({
        name: group.settings.name,
        asgName: group.autoScalingGroupName,
        mode: group.ami.mode,
        sourceParameterName: group.ami.sourceParameterName,
        ...(group.ami.approvedParameterName
          ? {
              approvedParameterName: group.ami.approvedParameterName,
              previousParameterName: group.ami.previousParameterName,
            }
          : {}),
        stateParameterName: stateOf(group).name,
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
      ...(props.pipelineWebhookParameterName
        ? { pipelineWebhookParameterName: props.pipelineWebhookParameterName }
        : {}),
      ...(props.legacyAmiTopicArn ? { legacyAmiTopicArn: props.legacyAmiTopicArn } : {}),
    };
    this.function = new NodejsFunction(this, 'ami-watcher', {
      entry: lambdaEntry('watcher/ami-watcher'),
      description: 'ecs-ami-rollout AMI watcher: detects, promotes and rolls back ECS-optimized AMIs',
      timeoutSeconds: 60,
      reservedConcurrentExecutions: reservedConcurrencyOf(props.functionOptions),
      ...props.functionOptions,
      logRetentionDays: props.logRetentionDays ?? props.functionOptions?.logRetentionDays,
      environment: {
        WATCHER_CONFIG: Fn.jsonencode(config),
        POWERTOOLS_SERVICE_NAME: 'ami-watcher',
        POWERTOOLS_METRICS_NAMESPACE: 'EcsAmiRollout',
        ...props.notifications.environment,
      },
    });
    if (props.legacyAmiTopicArn) this.subscribeToLegacyTopic(props.legacyAmiTopicArn);
    const auto = watched.filter((g) => g.ami.mode !== 'gitops');
    // SSM validates aws:ec2:image writes asynchronously and reports the outcome as "Parameter Store Change" (AWS:
    // "These notifications report whether a parameter operation was successful or not"): the watcher's read-back right
    // after PutParameter usually still sees the old AMI, and this event starts the pending promotion's refresh within
    // seconds instead of on the next schedule. The pause switch is listed too (resume on un-pause), which also keeps
    // the list non-empty when the module has no auto node group (EventBridge rejects empty arrays in a pattern).
    const approvedParameterNames =
      auto.length === 0
        ? undefined
        : concatLists(
            flattenList(list(auto, (g) => parameterNameForms(g.ami.approvedParameterName!), { autoOnly: true })),
            parameterNameForms(pause.name),
          );
    const asgNames = list(props.nodeGroups, (g) => g.autoScalingGroupName);
    for (const rule of amiWatcherRules({ schedule, asgNames, approvedParameterNames })) {
      this.function.addEventBridgeTrigger(rule.id, {
        description: rule.description,
        eventPattern: rule.eventPattern,
        scheduleExpression: rule.scheduleExpression,
      });
    }
    this.grant(
      props,
      watched,
      [pause.arn],
      concatLists(
        [denyList.arn],
        list(watched, (group) => stateOf(group).arn),
      ),
    );
    props.notifications.grantTo(this.function);
  }

  /** SNS → watcher: subscription plus an invoke permission scoped to that topic. */
  private subscribeToLegacyTopic(topicArn: string): void {
    new LambdaPermission(this, 'legacy-topic-permission', {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: topicArn,
    });
    new SnsTopicSubscription(this, 'legacy-topic-subscription', {
      topicArn,
      protocol: 'lambda',
      endpoint: this.function.functionArn,
    });
  }

  private grant(props: AmiWatcherProps, watched: NodeGroup[], readOnly: string[], writable: string[]): void {
    const fn = this.function;
    const ctx = props.awsContext;
    const list = props.listNodeGroups ?? listEach;
    // A mode only Terraform knows (the module's iterated node group) may be auto: the lister then picks the auto ones.
    const auto = watched.filter((g) => g.ami.mode !== 'gitops');
    const autoOnly = { autoOnly: true };
    const owned = flattenList(
      list(
        auto,
        (g) => [g.ami.approvedParameterName!, g.ami.previousParameterName!].map((name) => ctx.ssmParameterArn(name)),
        autoOnly,
      ),
    );
    const sourceArns = list(watched, (g) => sourceParameterArn(ctx, g.ami.sourceParameterName!));
    const webhook = props.pipelineWebhookParameterName ? [ctx.ssmParameterArn(props.pipelineWebhookParameterName)] : [];
    fn.addToRolePolicy({
      sid: 'ReadAmiParameters',
      effect: 'Allow',
      actions: ['ssm:GetParameter'],
      resources: concatLists(sourceArns, owned, readOnly, writable, webhook),
    });
    fn.addToRolePolicy({
      sid: 'WriteOwnParameters',
      effect: 'Allow',
      actions: ['ssm:PutParameter'],
      resources: concatLists(owned, writable),
    });
    fn.addToRolePolicy({
      // Describe* have no resource-level permissions; SSM also calls DescribeImages as this role to validate
      // aws:ec2:image parameter writes.
      sid: 'DescribeFleet',
      effect: 'Allow',
      actions: [
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeInstanceRefreshes',
      ],
      resources: ['*'],
    });
    if (auto.length > 0) {
      fn.addToRolePolicy({
        sid: 'RollOwnGroups',
        effect: 'Allow',
        actions: ['autoscaling:StartInstanceRefresh', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: list(auto, (g) => ctx.autoScalingGroupArn(g.autoScalingGroupName), autoOnly),
      });
    }
  }
}

/**
 * A parameter name as "Parameter Store Change" may carry it: as written, and without the leading "/" (AWS's samples only
 * show names without a hierarchy, so both are matched).
 */
function parameterNameForms(name: string): string[] {
  if (!Token.isUnresolved(name) || name.startsWith('/')) return [...new Set([name, name.replace(/^\//, '')])];
  return [name, Token.asString(Fn.trimprefix(name, '/'))];
}

/** Public AWS parameters (`/aws/service/...`) have no account in their ARN; for a name only Terraform knows, it decides. */
function sourceParameterArn(ctx: AwsContext, name: string): string {
  if (!Token.isUnresolved(name))
    return name.startsWith('/aws/service/') ? ctx.ssmParameterArn(name, '') : ctx.ssmParameterArn(name);
  return Token.asString(
    Fn.conditional(Fn.startswith(name, '/aws/service/'), ctx.ssmParameterArn(name, ''), ctx.ssmParameterArn(name)),
  );
}
