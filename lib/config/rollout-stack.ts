import { Construct } from 'constructs';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AmiSource } from '../ami/ami-source';
import { EcsAmiRollout } from '../ecs-ami-rollout';
import { NodeGroupOptions } from '../node-group/node-group-props';
import { NodeGroupConfig, StackConfig } from './app-config';

function amiSourceOf(config: NodeGroupConfig['amiSource']): AmiSource | undefined {
  if (config === undefined) return undefined;
  switch (config.type) {
    case 'ecs-optimized':
      return AmiSource.ecsOptimized({ osFamily: config.osFamily, variant: config.variant });
    case 'ssm-parameter':
      return AmiSource.ssmParameter(config.parameterName, {
        minimumRootVolumeGiB: config.minimumRootVolumeGiB,
        rootDeviceName: config.rootDeviceName,
      });
    case 'pinned':
      return AmiSource.pinned(config.amiId, {
        minimumRootVolumeGiB: config.minimumRootVolumeGiB,
        rootDeviceName: config.rootDeviceName,
      });
  }
}

/** Maps one config-file node group to construct options. */
export function nodeGroupOptionsOf(config: NodeGroupConfig): NodeGroupOptions {
  const { amiSource, ...rest } = config;
  return { ...rest, amiSource: amiSourceOf(amiSource) };
}

/** One deployable stack built from one entry of the config file: provider, backend, the rollout construct, outputs. */
export class RolloutStack extends TerraformStack {
  readonly rollout: EcsAmiRollout;

  constructor(scope: Construct, config: StackConfig) {
    super(scope, config.name);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { 'managed-by': 'ecs-ami-rollout', ...config.tags } }],
    });
    if (config.backend?.type === 's3') {
      const { type: _type, ...s3 } = config.backend;
      new S3Backend(this, { region: config.region, encrypt: true, ...s3 });
    } else {
      new LocalBackend(this, { path: config.backend?.path ?? `terraform.${config.name}.tfstate` });
    }
    const { name: _name, region: _region, backend: _backend, nodeGroups, ...rolloutProps } = config;
    this.rollout = new EcsAmiRollout(this, 'rollout', {
      ...rolloutProps,
      nodeGroups: nodeGroups.map(nodeGroupOptionsOf),
    });
    new TerraformOutput(this, 'cluster_name', { value: this.rollout.cluster.clusterName });
    new TerraformOutput(this, 'cluster_arn', { value: this.rollout.cluster.clusterArn });
    new TerraformOutput(this, 'autoscaling_group_names', {
      value: this.rollout.nodeGroups.map((group) => group.autoScalingGroupName),
    });
  }
}
