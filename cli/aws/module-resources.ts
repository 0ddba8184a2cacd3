/**
 * Finding the module's resources for a cluster, through `send` only (manual pagination, see
 * lambdas/shared/aws-client.ts): the cluster, the node groups' ASGs (by the tags the construct sets), their instance
 * refreshes, launch template images and the module's SSM parameters.
 */
import {
  AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  InstanceRefresh,
} from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { SendClient } from '../../lambdas/shared/aws-client';
import { errorName } from '../../lambdas/shared/aws-errors';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';

/** Tags the construct puts on every node group's ASG (lib/ecs-ami-rollout.ts, lib/node-group/node-group.ts). */
export const CLUSTER_TAG = 'ecs-ami-rollout:cluster';
export const NODE_GROUP_TAG = 'ecs-ami-rollout:node-group';

export const parameterNames = {
  paused: (cluster: string) => `/ecs-ami-rollout/${cluster}/paused`,
  approvedAmi: (cluster: string, nodeGroup: string) => `/ecs-ami-rollout/${cluster}/${nodeGroup}/approved-ami`,
  previousAmi: (cluster: string, nodeGroup: string) => `/ecs-ami-rollout/${cluster}/${nodeGroup}/previous-ami`,
};

/** Refresh states in which StartInstanceRefresh would fail (or fight the running refresh). */
export const ACTIVE_REFRESH_STATES = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

export interface NodeGroupAsg {
  readonly nodeGroup: string;
  readonly group: AutoScalingGroup;
}

/** Fails with exit code 4 unless DescribeClusters reports the cluster ACTIVE (or PROVISIONING/DEPROVISIONING). */
export async function requireCluster(ecs: SendClient, cluster: string): Promise<{ arn?: string; status?: string }> {
  const response = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
  const found = (response.clusters ?? []).find(
    (c: { clusterName?: string; clusterArn?: string }) => c.clusterName === cluster || c.clusterArn === cluster,
  );
  if (found === undefined || found.status === 'INACTIVE') {
    const failure = (response.failures ?? [])[0] as { reason?: string } | undefined;
    const why = found?.status === 'INACTIVE' ? 'it is INACTIVE (deleted)' : (failure?.reason ?? 'not found');
    throw new CliError(
      `ECS cluster "${cluster}" not found in this account/region: ${why}. Check --cluster and --region.`,
      EXIT.CLUSTER_NOT_FOUND,
    );
  }
  return { arn: found.clusterArn, status: found.status };
}

function tagValue(group: AutoScalingGroup, key: string): string | undefined {
  return group.Tags?.find((tag) => tag.Key === key)?.Value;
}

/** The node groups' ASGs: tagged `ecs-ami-rollout:cluster` = cluster, named by `ecs-ami-rollout:node-group`. */
export async function findNodeGroupAsgs(autoScaling: SendClient, cluster: string): Promise<NodeGroupAsg[]> {
  const found: NodeGroupAsg[] = [];
  let nextToken: string | undefined;
  do {
    const page = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({
        Filters: [{ Name: `tag:${CLUSTER_TAG}`, Values: [cluster] }],
        MaxRecords: 100,
        NextToken: nextToken,
      }),
    );
    for (const group of (page.AutoScalingGroups ?? []) as AutoScalingGroup[]) {
      // The filter runs server-side; checking again keeps a lenient fake (or a future API change) from leaking others
      // in.
      const nodeGroup = tagValue(group, NODE_GROUP_TAG);
      if (tagValue(group, CLUSTER_TAG) === cluster && nodeGroup) found.push({ nodeGroup, group });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  if (found.length === 0) {
    throw new CliError(
      `No ecs-ami-rollout node groups found for cluster "${cluster}": no Auto Scaling group is tagged ` +
        `${CLUSTER_TAG}=${cluster} with ${NODE_GROUP_TAG}. Is the module deployed to this account/region?`,
      EXIT.NO_MODULE_RESOURCES,
    );
  }
  return found.sort((a, b) => a.nodeGroup.localeCompare(b.nodeGroup));
}

/** The most recent instance refresh of an ASG (AWS lists newest first), if any. */
export async function latestInstanceRefresh(
  autoScaling: SendClient,
  asgName: string,
): Promise<InstanceRefresh | undefined> {
  const response = await autoScaling.send(
    new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: asgName, MaxRecords: 1 }),
  );
  return (response.InstanceRefreshes ?? [])[0];
}

/** Launch template id and version an ASG launches from (plain or mixed instances policy). */
export function launchTemplateOf(
  group: AutoScalingGroup,
): { id?: string; name?: string; version?: string } | undefined {
  const spec = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  return spec ? { id: spec.LaunchTemplateId, name: spec.LaunchTemplateName, version: spec.Version } : undefined;
}

/** The launch template version's ImageId as written (a concrete id, or `resolve:ssm:<parameter>` in auto mode). */
export async function launchTemplateImage(ec2: SendClient, group: AutoScalingGroup): Promise<string | undefined> {
  const template = launchTemplateOf(group);
  if (template === undefined) return undefined;
  const response = await ec2.send(
    new DescribeLaunchTemplateVersionsCommand({
      LaunchTemplateId: template.id,
      LaunchTemplateName: template.id ? undefined : template.name,
      Versions: [template.version ?? '$Default'],
    }),
  );
  return response.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId;
}

/** A parameter's value, or undefined when it does not exist. */
export async function readParameter(ssm: SendClient, name: string): Promise<string | undefined> {
  try {
    const response = await ssm.send(new GetParameterCommand({ Name: name }));
    return response.Parameter?.Value;
  } catch (error) {
    if (errorName(error) === 'ParameterNotFound') return undefined;
    throw error;
  }
}

export interface ImageFacts {
  readonly imageId: string;
  readonly name?: string;
  readonly architecture?: string;
}

export async function describeImage(ec2: SendClient, imageId: string): Promise<ImageFacts | undefined> {
  const response = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
  const image = response.Images?.[0];
  return image ? { imageId, name: image.Name, architecture: image.Architecture } : undefined;
}
