import { Construct } from 'constructs';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { AmiMode } from './ami/ami-ownership';
import { DEFAULTS } from './defaults';
import { AwsContext } from './aws-context';
import { EcsCluster } from './ecs-cluster';
import { ControlPlaneFunctionOptions } from './function-options';
import { LifecycleGateSettings, LifecycleGates } from './gates/lifecycle-gates';
import { AgentMonitor, AgentMonitorOptions } from './monitor/agent-monitor';
import { Notifications, NotificationsProps } from './notifications';
import { AmiWatcher, AmiWatcherOptions } from './watcher/ami-watcher';
import { EcsInstanceRole } from './node-group/instance-role';
import { DrainOwner, NodeGroup } from './node-group/node-group';
import { NodeGroupOptions } from './node-group/node-group-props';
import { checkNonEmpty, checkOneOf, invalid } from './validation';

/** Settings of the lifecycle gates (see {@link LifecycleGatesProps} for each one's default). */
export type GateOptions = LifecycleGateSettings;

/** Notification settings (see {@link NotificationsProps}). */
export type NotificationOptions = Omit<NotificationsProps, 'namePrefix' | 'awsContext'>;

/** Props of {@link EcsAmiRollout}. */
export interface EcsAmiRolloutProps {
  /** Name of the ECS cluster to create (or adopt, with `adoptExistingCluster`). */
  readonly clusterName: string;
  /**
   * Adopt an existing cluster by name instead of creating one.
   * @default false
   */
  readonly adoptExistingCluster?: boolean;
  /**
   * Container Insights for a created cluster.
   * @default 'enabled'
   */
  readonly containerInsights?: 'enabled' | 'disabled' | 'enhanced';
  /**
   * Default subnets for node groups that set none (private subnets).
   * @default none — then every node group must set `subnetIds`
   */
  readonly subnetIds?: string[];
  /**
   * Default security groups for node groups that set none.
   * @default none — then every node group must set `securityGroupIds`
   */
  readonly securityGroupIds?: string[];
  /**
   * AMI ownership for node groups that set none: `auto` (the watcher) or `gitops` (Terraform).
   * @default 'auto'
   */
  readonly amiMode?: AmiMode;
  /** The node groups (one Auto Scaling group and capacity provider each); at least one, names unique. */
  readonly nodeGroups: NodeGroupOptions[];
  /**
   * Who drains instances before termination: `lambda` (the drain gate; ECS managed draining DISABLED) or `ecs`
   * (ECS managed draining ENABLED). One owner per cluster, so the two never race over an instance.
   * @default 'lambda'
   */
  readonly drainOwner?: DrainOwner;
  /**
   * Instance profile shared by every node group.
   * @default a new profile with the ECS agent and Session Manager managed policies
   */
  readonly instanceProfileName?: string;
  /**
   * Lifecycle gate settings: join deadline, maximum drain time, standalone-task grace, sweep schedule.
   * @default see LifecycleGatesProps (600 s, 3600 s, 300 s, every minute)
   */
  readonly gates?: GateOptions;
  /**
   * Tracing, KMS keys and log retention for every Lambda function of the product.
   * @default PassThrough tracing, AWS managed keys, 30 days
   */
  readonly functions?: ControlPlaneFunctionOptions;
  /**
   * Where the product reports (SNS topic, optional Slack-style webhook).
   * @default a new SNS topic encrypted with alias/aws/sns, no webhook
   */
  readonly notifications?: NotificationOptions;
  /**
   * Agent monitor settings.
   * @default every 15 minutes, agent updates off
   */
  readonly agentMonitor?: AgentMonitorOptions;
  /**
   * AMI watcher settings: schedule, minimum AMI age, maintenance windows.
   * @default hourly, 24 h minimum age, any time
   */
  readonly amiWatcher?: AmiWatcherOptions;
  /**
   * Deploy the AMI watcher. Without it, node groups in amiMode "auto" stay on the AMI they were created with.
   * @default true
   */
  readonly enableAmiWatcher?: boolean;
  /**
   * Deploy the agent monitor.
   * @default true
   */
  readonly enableAgentMonitor?: boolean;
  /**
   * Tags for every resource this construct creates.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/**
 * One ECS cluster's EC2 capacity, kept on the newest ECS-optimized AMI without disrupting tasks: the cluster, its node
 * groups (launch template + Auto Scaling group with instance refresh and gate lifecycle hooks + capacity provider) and
 * the cluster's default capacity provider strategy.
 */
export class EcsAmiRollout extends Construct {
  readonly cluster: EcsCluster;
  readonly nodeGroups: NodeGroup[];
  readonly drainOwner: DrainOwner;
  readonly clusterCapacityProviders: EcsClusterCapacityProviders;
  readonly gates: LifecycleGates;
  readonly notifications: Notifications;
  /** Absent when `enableAmiWatcher` is false. */
  readonly amiWatcher?: AmiWatcher;
  /** Absent when `enableAgentMonitor` is false. */
  readonly agentMonitor?: AgentMonitor;
  /** Partition, region and account (data sources) used for ARNs. */
  readonly awsContext: AwsContext;

  constructor(scope: Construct, id: string, props: EcsAmiRolloutProps) {
    super(scope, id);
    this.drainOwner = props.drainOwner ?? DEFAULTS.capacityProvider.drainOwner;
    checkOneOf<DrainOwner>(
      'EcsAmiRollout.drainOwner',
      this.drainOwner,
      ['lambda', 'ecs'],
      'use "lambda" (drain gate) or "ecs" (managed draining)',
    );
    validateNodeGroupList(props.nodeGroups);
    const tags = { ...props.tags, 'ecs-ami-rollout:cluster': props.clusterName };

    this.cluster = new EcsCluster(this, 'cluster', {
      clusterName: props.clusterName,
      adoptExisting: props.adoptExistingCluster,
      containerInsights: props.containerInsights,
      tags,
    });
    const instanceProfileName =
      props.instanceProfileName ??
      new EcsInstanceRole(this, 'instance-role', { namePrefix: `ecs-instance-${props.clusterName}`.slice(0, 37), tags })
        .instanceProfileName;

    this.nodeGroups = props.nodeGroups.map(
      (options) =>
        new NodeGroup(this, `node-group-${options.name}`, {
          ...options,
          amiMode: options.amiMode ?? props.amiMode,
          tags: { ...tags, ...options.tags },
          cluster: this.cluster,
          instanceProfileName,
          drainOwner: this.drainOwner,
          inheritedNetwork: { subnetIds: props.subnetIds, securityGroupIds: props.securityGroupIds },
        }),
    );

    this.awsContext = new AwsContext(this, 'aws-context');
    this.notifications = new Notifications(this, 'notifications', {
      ...props.notifications,
      namePrefix: props.clusterName,
      awsContext: this.awsContext,
    });
    const shared = {
      cluster: this.cluster,
      nodeGroups: this.nodeGroups,
      awsContext: this.awsContext,
      functionOptions: props.functions,
    };
    this.gates = new LifecycleGates(this, 'gates', {
      ...props.gates,
      ...shared,
      notifications: this.notifications,
    });
    if (props.enableAmiWatcher ?? true) {
      this.amiWatcher = new AmiWatcher(this, 'ami-watcher', {
        ...props.amiWatcher,
        ...shared,
        notifications: this.notifications,
      });
    }
    if (props.enableAgentMonitor ?? true) {
      this.agentMonitor = new AgentMonitor(this, 'agent-monitor', {
        ...props.agentMonitor,
        ...shared,
        notifications: this.notifications,
      });
    }

    this.clusterCapacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.clusterName,
      capacityProviders: this.nodeGroups.map((group) => group.capacityProvider.name),
      defaultCapacityProviderStrategy: this.nodeGroups.map((group) => ({
        capacityProvider: group.capacityProvider.name,
        weight: group.settings.capacityProvider.weight,
        base: group.settings.capacityProvider.base,
      })),
    });
  }
}

function validateNodeGroupList(nodeGroups: NodeGroupOptions[]): void {
  checkNonEmpty('EcsAmiRollout.nodeGroups', nodeGroups, 'add at least one node group, e.g. [{ name: "x86" }]');
  const seen = new Set<string>();
  for (const group of nodeGroups) {
    if (seen.has(group.name)) {
      invalid(
        'EcsAmiRollout.nodeGroups[].name',
        group.name,
        'is used by two node groups',
        'give every node group its own name',
      );
    }
    seen.add(group.name);
  }
  const withBase = nodeGroups.filter((g) => (g.capacityProvider?.base ?? DEFAULTS.capacityProvider.base) > 0);
  if (withBase.length > 1) {
    invalid(
      'EcsAmiRollout.nodeGroups[].capacityProvider.base',
      withBase.map((g) => g.name),
      'only one capacity provider in a strategy may have a base',
      'set base on one node group only',
    );
  }
}
