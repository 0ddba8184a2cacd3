import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { AwsContext } from '../aws-context';
import { NodejsFunction } from '../function';
import { concatLists, flattenList, listEach } from '../gates/gate-permissions';
import { reservedConcurrencyOf } from '../function-options';
import { lambdaEntry } from '../lambda-entry';
import { NodeGroup } from '../node-group/node-group';
import { amiWatcherRules } from '../triggers/control-plane-triggers';
import { invalid } from '../validation';
import { resolveAmiWatcherProps, type AmiWatcherProps } from './ami-watcher-props';

export { AMI_WATCHER_DEFAULTS } from './ami-watcher-props';
export type { AmiWatcherOptions, AmiWatcherProps, MaintenanceWindow } from './ami-watcher-props';

/**
 * Detects new ECS-optimized AMIs and, per node group, promotes them (`auto`: writes the approved parameter and starts
 * an instance refresh; rolls back when the refresh fails) or reports them (`gitops`). Operators pause it with the
 * `/ecs-ami-rollout/<cluster>/paused` parameter.
 */
export class AmiWatcher extends Construct {
  readonly function: NodejsFunction;
  readonly pauseParameterName: string;
  readonly denyListParameterName: string;

  constructor(scope: Construct, id: string, props: AmiWatcherProps) {
    super(scope, id);
    const { schedule, minAge, abandonedLaunchesToRollBack } = resolveAmiWatcherProps(props);
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
        // The settings lib/refresh/refresh-preferences.ts renders into the watcher's StartInstanceRefresh, exactly as
        // into this node group's instance_refresh block.
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
          alarmNames: group.settings.instanceRefresh.alarmNames,
        },
        hookTimeouts: {
          launchSeconds: group.settings.launchHook.heartbeatTimeoutSeconds,
          terminateSeconds: group.settings.terminateHook.heartbeatTimeoutSeconds,
        },
      })),
      policy: {
        minAmiAgeHours: minAge,
        maintenanceWindows: props.maintenanceWindows ?? [],
        abandonedLaunchesToRollBack,
        ...(props.refreshDeadlineSeconds !== undefined ? { refreshDeadlineSeconds: props.refreshDeadlineSeconds } : {}),
      },
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
        'autoscaling:DescribeScalingActivities',
      ],
      resources: ['*'],
    });
    if (auto.length > 0) {
      fn.addToRolePolicy({
        sid: 'RollOwnGroups',
        effect: 'Allow',
        actions: ['autoscaling:StartInstanceRefresh'],
        resources: list(auto, (g) => ctx.autoScalingGroupArn(g.autoScalingGroupName), autoOnly),
      });
    }
    // Its own stuck refreshes (auto), and any refresh of a node group that would hang on an undrainable service.
    if (watched.length === 0) return;
    fn.addToRolePolicy({
      sid: 'CancelRefreshesOfOwnGroups',
      effect: 'Allow',
      actions: ['autoscaling:CancelInstanceRefresh'],
      resources: list(watched, (g) => ctx.autoScalingGroupArn(g.autoScalingGroupName)),
    });
    const onCluster = [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [props.cluster.clusterArn] }];
    fn.addToRolePolicy({
      // ListServices has no resource-level permissions; the ecs:cluster condition keeps it to this cluster.
      sid: 'ListClusterServices',
      effect: 'Allow',
      actions: ['ecs:ListServices'],
      resources: ['*'],
      condition: onCluster,
    });
    fn.addToRolePolicy({
      sid: 'CheckServiceHeadroom',
      effect: 'Allow',
      actions: ['ecs:DescribeServices'],
      resources: [ctx.ecsClusterResourceArn('service', props.cluster.clusterName)],
      condition: onCluster,
    });
  }
}

/**
 * A parameter name as "Parameter Store Change" may carry it: as written, and without the leading "/" (AWS's samples
 * only show names without a hierarchy, so both are matched).
 */
function parameterNameForms(name: string): string[] {
  if (!Token.isUnresolved(name) || name.startsWith('/')) return [...new Set([name, name.replace(/^\//, '')])];
  return [name, Token.asString(Fn.trimprefix(name, '/'))];
}

/** Public AWS parameters (`/aws/service/...`) have no account in their ARN; a name only Terraform knows: it decides. */
function sourceParameterArn(ctx: AwsContext, name: string): string {
  if (!Token.isUnresolved(name))
    return name.startsWith('/aws/service/') ? ctx.ssmParameterArn(name, '') : ctx.ssmParameterArn(name);
  return Token.asString(
    Fn.conditional(Fn.startswith(name, '/aws/service/'), ctx.ssmParameterArn(name, ''), ctx.ssmParameterArn(name)),
  );
}
