import { Construct } from 'constructs';
import { DataAwsEcsCluster } from '@cdktf/provider-aws/lib/data-aws-ecs-cluster';
import { EcsCluster as EcsClusterResource } from '@cdktf/provider-aws/lib/ecs-cluster';
import { DEFAULTS } from './defaults';
import { checkSetting, SETTING_RULES } from './setting-rules';
import { ClusterReference } from './node-group/node-group';

/** Props of {@link EcsCluster}. */
export interface EcsClusterProps {
  /** Cluster name (letters, digits, hyphens, underscores; 1–255). */
  readonly clusterName: string;
  /**
   * Adopt an existing cluster by name instead of creating one.
   *
   * Terraform note: the cluster is read with `data "aws_ecs_cluster"`, so `terraform plan` fails early when it does
   * not exist; its capacity provider list is then owned by this configuration (`aws_ecs_cluster_capacity_providers`
   * replaces whatever list the cluster had).
   * @default false (create the cluster)
   */
  readonly adoptExisting?: boolean;
  /**
   * CloudWatch Container Insights for a created cluster: enabled, enhanced (per-task metrics) or disabled.
   * @default 'enabled'
   */
  readonly containerInsights?: 'enabled' | 'disabled' | 'enhanced';
  /**
   * Tags for a created cluster.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** The ECS cluster whose EC2 capacity this project manages: created here, or an existing one adopted by name. */
export class EcsCluster extends Construct implements ClusterReference {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** True when the cluster was adopted rather than created. */
  readonly adopted: boolean;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    checkSetting(SETTING_RULES.cluster_name, 'EcsCluster.clusterName', props.clusterName);
    const containerInsights = props.containerInsights ?? DEFAULTS.cluster.containerInsights;
    checkSetting(SETTING_RULES.container_insights, 'EcsCluster.containerInsights', containerInsights);
    this.adopted = props.adoptExisting ?? false;
    if (this.adopted) {
      const existing = new DataAwsEcsCluster(this, 'existing', { clusterName: props.clusterName });
      this.clusterName = existing.clusterName;
      this.clusterArn = existing.arn;
    } else {
      const cluster = new EcsClusterResource(this, 'cluster', {
        name: props.clusterName,
        setting: [{ name: 'containerInsights', value: containerInsights }],
        tags: props.tags,
      });
      this.clusterName = cluster.name;
      this.clusterArn = cluster.arn;
    }
  }
}
