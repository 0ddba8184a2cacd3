import { Construct } from 'constructs';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { NodejsFunction } from './function';
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
import { invalid } from './validation';
import { CapacityProviderStrategyItem, defaultStrategy, STRATEGY_RULES } from './capacity-strategy';
import { nameAfterCluster } from './naming';
import { renderText } from './rules';
import { checkSetting, SETTING_RULES } from './setting-rules';
import { tagResources } from './tagging';
import { propOf } from './node-group/node-group-attributes';
import { NODE_GROUP_MAP_RULES } from './node-group/node-group-rules';
import { ResolvedNodeGroup, resolveNodeGroupOptions } from './node-group/resolve-options';

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
   * Prefix of the names of the functions, their log groups, queues, rules and roles (`<prefix>-drain-gate`…), so every
   * name can be traced to its cluster; 1–32 letters, digits, hyphens or underscores, unique per account and region.
   * @default clusterName (which must then be at most 32 characters)
   */
  readonly namePrefix?: string;
  /**
   * The cluster's default capacity provider strategy, for services that set none.
   * @default the node groups of one architecture (x86_64 when there is one, else arm64), with their capacityProvider
   * weight and base — a service without its own strategy never mixes architectures
   */
  readonly defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  /**
   * Capacity providers the cluster lists besides the node groups' (e.g. FARGATE, FARGATE_SPOT, or providers managed
   * elsewhere): `aws_ecs_cluster_capacity_providers` is authoritative, so anything not listed is detached.
   * @default []
   */
  readonly extraCapacityProviders?: string[];
  /**
   * Manage the cluster's capacity provider list and default strategy (`aws_ecs_cluster_capacity_providers`). Turn it
   * off when another configuration owns that list (e.g. an ECS cluster module); then attach the node groups' capacity
   * providers there.
   * @default true
   */
  readonly manageClusterCapacityProviders?: boolean;
  /**
   * IAM path and permissions boundary of every role this construct creates (instance role and function roles).
   * @default path "/", no boundary
   */
  readonly iam?: { readonly path?: string; readonly permissionsBoundary?: string };
  /**
   * Run the functions in these subnets and security groups (they then need NAT or VPC endpoints to reach the AWS
   * APIs); their roles get AWS's AWSLambdaVPCAccessExecutionRole managed policy.
   * @default no VPC
   */
  readonly functionVpc?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
  /**
   * Tags for every resource this construct creates that takes tags.
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
  /** Absent when `manageClusterCapacityProviders` is false. */
  readonly clusterCapacityProviders?: EcsClusterCapacityProviders;
  /** The default capacity provider strategy, with node group names resolved to capacity provider names. */
  readonly defaultCapacityProviderStrategy: Required<CapacityProviderStrategyItem>[];
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
    checkSetting(SETTING_RULES.drain_owner, 'EcsAmiRollout.drainOwner', this.drainOwner);
    validateNodeGroupList(props.nodeGroups.map((g) => resolveNodeGroupOptions(g)));
    const tags = { ...props.tags, 'ecs-ami-rollout:cluster': props.clusterName };
    tagResources(this, tags);

    this.cluster = new EcsCluster(this, 'cluster', {
      clusterName: props.clusterName,
      adoptExisting: props.adoptExistingCluster,
      containerInsights: props.containerInsights,
      tags,
    });
    const namePrefix = props.namePrefix ?? props.clusterName;
    checkSetting(
      SETTING_RULES.name_prefix,
      props.namePrefix ? 'EcsAmiRollout.namePrefix' : 'EcsAmiRollout.clusterName (as name prefix)',
      namePrefix,
    );
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

    for (const fn of [...this.gates.gates(), this.amiWatcher?.function, this.agentMonitor?.function]) {
      if (fn) {
        nameAfterCluster(fn, namePrefix);
        if (props.functionVpc) placeInVpc(fn, props.functionVpc);
      }
    }
    for (const role of this.node.findAll().filter((c): c is IamRole => c instanceof IamRole)) {
      if (props.iam?.path) role.path = props.iam.path;
      if (props.iam?.permissionsBoundary) role.permissionsBoundary = props.iam.permissionsBoundary;
    }
    this.defaultCapacityProviderStrategy = this.resolveStrategy(props);
    if (props.manageClusterCapacityProviders ?? true) {
      this.clusterCapacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
        clusterName: this.cluster.clusterName,
        capacityProviders: [
          ...this.nodeGroups.map((group) => group.capacityProvider.name),
          ...(props.extraCapacityProviders ?? []),
        ],
        defaultCapacityProviderStrategy: this.defaultCapacityProviderStrategy,
      });
    }
  }

  /** The strategy as given, or the per-architecture default; checked, then node group names become provider names. */
  private resolveStrategy(props: EcsAmiRolloutProps): Required<CapacityProviderStrategyItem>[] {
    const strategy =
      props.defaultCapacityProviderStrategy?.map((item) => ({ weight: 1, base: 0, ...item })) ??
      defaultStrategy(
        this.nodeGroups.map((g) => ({
          name: g.settings.name,
          architecture: g.settings.architecture,
          weight: g.settings.capacityProvider.weight,
          base: g.settings.capacityProvider.base,
        })),
      );
    const names = [...this.nodeGroups.map((g) => g.settings.name), ...(props.extraCapacityProviders ?? [])];
    for (const rule of STRATEGY_RULES) {
      const bad = rule.check(strategy, names);
      if (bad !== undefined) invalid('EcsAmiRollout.defaultCapacityProviderStrategy', bad, rule.reason, rule.fix);
    }
    const providerOf = new Map(this.nodeGroups.map((g) => [g.settings.name, g.capacityProvider.name]));
    return strategy.map((item) => ({
      ...item,
      capacityProvider: providerOf.get(item.capacityProvider) ?? item.capacityProvider,
    }));
  }
}

/** The function in a VPC, with the managed policy that lets Lambda manage its network interfaces. */
function placeInVpc(fn: NodejsFunction, vpc: NonNullable<EcsAmiRolloutProps['functionVpc']>): void {
  fn.lambdaFunction.putVpcConfig({ subnetIds: vpc.subnetIds, securityGroupIds: vpc.securityGroupIds });
  new IamRolePolicyAttachment(fn, 'VpcAccess', {
    role: fn.role.name,
    policyArn:
      `arn:${new DataAwsPartition(fn, 'VpcAccessPartition').partition}:iam::aws:policy/` +
      'service-role/AWSLambdaVPCAccessExecutionRole',
  });
}

/** The rules over all node groups of the cluster (lib/node-group/cluster-rules.ts). */
function validateNodeGroupList(groups: ResolvedNodeGroup[]): void {
  for (const rule of NODE_GROUP_MAP_RULES) {
    const found = rule.check(groups);
    if (!found) continue;
    const at = rule.attribute === '(map)' ? '' : `[].${propOf(rule.attribute)}`;
    invalid(`EcsAmiRollout.nodeGroups${at}`, found.value, rule.reason, renderText(rule.fix, 'construct', propOf));
  }
}
