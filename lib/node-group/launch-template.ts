import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AmiBinding } from '../ami/ami-source';
import { ResolvedNodeGroup } from './resolve-options';
import { renderUserData } from './user-data';

/** Inputs of the launch template beyond the node group's own settings. */
export interface LaunchTemplateInputs {
  readonly name: string;
  readonly clusterName: string;
  readonly instanceProfileName: string;
  readonly ami: AmiBinding;
  readonly tags: Record<string, string>;
}

const CLUSTER_PLACEHOLDER = '@@ECS_CLUSTER@@';

/**
 * Base64 user data. Only the cluster name may be a Terraform reference; everything else (including the user's script,
 * which may contain quotes or shell `${VAR}`) goes in as an escaped literal so Terraform does not interpolate it.
 */
function userDataFor(group: ResolvedNodeGroup, clusterName: string): string {
  const [before, after] = renderUserData({
    clusterName: CLUSTER_PLACEHOLDER,
    containerStopTimeoutSeconds: group.containerStopTimeoutSeconds,
    extraUserData: group.userData,
  }).split(CLUSTER_PLACEHOLDER);
  return Fn.base64encode(Fn.join('', [Fn.rawString(before), clusterName, Fn.rawString(after)]));
}

/**
 * The node group's launch template: IMDSv2 only, encrypted gp3 root volume, no public IP unless asked, user data that
 * registers the instance with the cluster. Every change creates a new version (Terraform updates it in place), which
 * the Auto Scaling group picks up through `latest_version` and rolls with an instance refresh.
 */
export function createLaunchTemplate(
  scope: Construct,
  group: ResolvedNodeGroup,
  inputs: LaunchTemplateInputs,
): LaunchTemplate {
  const tagSpecification = (resourceType: string) => ({ resourceType, tags: inputs.tags });
  return new LaunchTemplate(scope, 'launch-template', {
    name: inputs.name,
    description: `ECS node group ${group.name} (ecs-ami-rollout)`,
    imageId: inputs.ami.imageId,
    instanceType: group.instanceTypes[0],
    updateDefaultVersion: true,
    ebsOptimized: 'true',
    iamInstanceProfile: { name: inputs.instanceProfileName },
    metadataOptions: {
      httpEndpoint: 'enabled',
      httpTokens: 'required',
      httpPutResponseHopLimit: group.httpPutResponseHopLimit,
      instanceMetadataTags: 'disabled',
    },
    monitoring: { enabled: group.detailedMonitoring },
    // A network interface block (instead of vpc_security_group_ids) is the only way to state "no public IP"
    // explicitly, whatever the subnet's MapPublicIpOnLaunch says.
    networkInterfaces: [
      {
        deviceIndex: 0,
        associatePublicIpAddress: String(group.associatePublicIpAddress),
        deleteOnTermination: 'true',
        securityGroups: group.securityGroupIds,
      },
    ],
    keyName: group.keyName,
    blockDeviceMappings: [
      {
        deviceName: inputs.ami.rootDeviceName,
        ebs: {
          volumeSize: group.rootVolumeSizeGiB,
          volumeType: 'gp3',
          iops: group.rootVolumeIops,
          throughput: group.rootVolumeThroughput,
          encrypted: 'true',
          kmsKeyId: group.rootVolumeKmsKeyId,
          deleteOnTermination: 'true',
        },
      },
      ...group.extraVolumes.map((volume) => ({
        deviceName: volume.deviceName,
        ebs: {
          volumeSize: volume.sizeGiB,
          volumeType: 'gp3',
          iops: volume.iops,
          throughput: volume.throughput,
          encrypted: 'true',
          kmsKeyId: volume.kmsKeyId ?? group.rootVolumeKmsKeyId,
          deleteOnTermination: 'true',
        },
      })),
    ],
    userData: userDataFor(group, inputs.clusterName),
    tagSpecifications: ['instance', 'volume', 'network-interface'].map(tagSpecification),
    tags: inputs.tags,
  });
}
