import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { NodejsFunction } from '../function';
import { validateSweepSchedule } from '../gates/gate-settings';
import { listEach } from '../gates/gate-permissions';
import { ControlPlaneProps } from '../control-plane';
import { reservedConcurrencyOf } from '../function-options';
import { lambdaEntry } from '../lambda-entry';
import { agentMonitorRules } from '../triggers/control-plane-triggers';
import { checkIntegerRange } from '../validation';

/** Defaults of the agent monitor, defined once. */
export const AGENT_MONITOR_DEFAULTS = {
  schedule: 'rate(15 minutes)',
  updateAgents: false,
  maxAgentUpdatesPerRun: 1,
} as const;

/** Options of the agent monitor. */
export interface AgentMonitorOptions {
  /**
   * How often the fleet is checked.
   * @default 'rate(15 minutes)'
   */
  readonly schedule?: string;
  /**
   * Update ECS agents that are behind the newest version in the fleet with UpdateContainerAgent, one instance at a
   * time, only while every agent is connected and none is updating. AMIs without support (Amazon Linux 2 arm64,
   * Windows, non-ECS images) are skipped.
   * @default false
   */
  readonly updateAgents?: boolean;
  /**
   * Agent updates started per run (1–10).
   * @default 1
   */
  readonly maxAgentUpdatesPerRun?: number;
  /**
   * Log retention in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/** Props of {@link AgentMonitor}. */
export interface AgentMonitorProps extends AgentMonitorOptions, ControlPlaneProps {}

/**
 * A scheduled Lambda that reports disconnected agents, failed agent updates, impaired instances and AMI drift — when
 * they change, not on every run — and optionally keeps agents current one instance at a time.
 */
export class AgentMonitor extends Construct {
  readonly function: NodejsFunction;
  readonly stateParameterName: string;

  constructor(scope: Construct, id: string, props: AgentMonitorProps) {
    super(scope, id);
    const schedule = props.schedule ?? AGENT_MONITOR_DEFAULTS.schedule;
    validateSweepSchedule(schedule, 'AgentMonitor.schedule');
    const maxUpdates = props.maxAgentUpdatesPerRun ?? AGENT_MONITOR_DEFAULTS.maxAgentUpdatesPerRun;
    checkIntegerRange(
      'AgentMonitor.maxAgentUpdatesPerRun',
      maxUpdates,
      1,
      10,
      'use 1 (one instance at a time) up to 10',
    );
    const updateAgents = props.updateAgents ?? AGENT_MONITOR_DEFAULTS.updateAgents;

    // The last reported state: the monitor notifies only when it changes. Terraform creates it and never looks again.
    const state = new SsmParameter(this, 'state', {
      name: `/ecs-ami-rollout/${props.cluster.clusterName}/agent-monitor-state`,
      description: 'Last state reported by the ecs-ami-rollout agent monitor (written by the monitor)',
      type: 'String',
      value: '{}',
      lifecycle: { ignoreChanges: ['value', 'insecure_value'] },
    });
    this.stateParameterName = state.name;

    const list = props.listNodeGroups ?? listEach;
    const config = {
      clusterName: props.cluster.clusterName,
      clusterArn: props.cluster.clusterArn,
      nodeGroups: list(props.nodeGroups, (group) => ({
        name: group.settings.name,
        asgName: group.autoScalingGroupName,
        ...(group.ami.approvedParameterName ? { approvedAmiParameter: group.ami.approvedParameterName } : {}),
      })),
      updateAgents,
      maxAgentUpdatesPerRun: maxUpdates,
      stateParameterName: state.name,
    };
    this.function = new NodejsFunction(this, 'agent-monitor', {
      entry: lambdaEntry('monitor/agent-monitor'),
      description: 'ecs-ami-rollout agent monitor: agent health, AMI drift, one-at-a-time agent updates',
      timeoutSeconds: 120,
      reservedConcurrentExecutions: reservedConcurrencyOf(props.functionOptions),
      ...props.functionOptions,
      logRetentionDays: props.logRetentionDays ?? props.functionOptions?.logRetentionDays,
      environment: {
        MONITOR_CONFIG: Fn.jsonencode(config),
        POWERTOOLS_SERVICE_NAME: 'agent-monitor',
        POWERTOOLS_METRICS_NAMESPACE: 'EcsAmiRollout',
        ...props.notifications.environment,
      },
    });
    for (const rule of agentMonitorRules({ schedule })) {
      this.function.addEventBridgeTrigger(rule.id, {
        description: rule.description,
        scheduleExpression: rule.scheduleExpression,
      });
    }
    this.grant(props, state.arn, updateAgents);
    props.notifications.grantTo(this.function);
  }

  private grant(props: AgentMonitorProps, stateArn: string, updateAgents: boolean): void {
    const fn = this.function;
    const containerInstances = props.awsContext.ecsClusterResourceArn('container-instance', props.cluster.clusterName);
    const onCluster = [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [props.cluster.clusterArn] }];
    // A setting only Terraform knows (the module's variable): the action is granted exactly when it is on.
    const updateActions = Token.isUnresolved(updateAgents)
      ? [Token.asString(Fn.conditional(updateAgents, 'ecs:UpdateContainerAgent', 'ecs:DescribeContainerInstances'))]
      : updateAgents
        ? ['ecs:UpdateContainerAgent']
        : [];
    fn.addToRolePolicy({
      sid: 'ListClusterInstances',
      effect: 'Allow',
      actions: ['ecs:ListContainerInstances'],
      resources: [props.cluster.clusterArn],
    });
    fn.addToRolePolicy({
      sid: 'DescribeClusterInstances',
      effect: 'Allow',
      actions: ['ecs:DescribeContainerInstances', ...updateActions],
      resources: [containerInstances],
      condition: onCluster,
    });
    fn.addToRolePolicy({
      // No resource-level permissions exist for these read-only describes.
      sid: 'DescribeFleet',
      effect: 'Allow',
      actions: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeImages'],
      resources: ['*'],
    });
    fn.addToRolePolicy({
      sid: 'MonitorState',
      effect: 'Allow',
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: [stateArn],
    });
    // A mode only Terraform knows (the module's iterated node group) may be auto: the lister then picks the auto ones.
    const approved = props.nodeGroups.filter((g) => g.ami.mode !== 'gitops' && g.ami.approvedParameterName);
    if (approved.length > 0) {
      const list = props.listNodeGroups ?? listEach;
      fn.addToRolePolicy({
        sid: 'ReadApprovedAmis',
        effect: 'Allow',
        actions: ['ssm:GetParameter'],
        resources: list(approved, (g) => props.awsContext.ssmParameterArn(g.ami.approvedParameterName!), {
          autoOnly: true,
        }),
      });
    }
  }
}
