/**
 * I/O of the agent monitor, all through SDK v3 `XxxCommand` + `client.send` (manual pagination loops, so the rollout
 * simulator's fake clients work). Reads are throttling-aware (`callAws` → RetryLaterError).
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
  UpdateContainerAgentCommand,
  type ContainerInstance,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { readApprovedAmi } from '../gates/adapters/ec2';
import type { SendClient } from '../shared/aws-client';
import { callAws, errorMessage, errorName, isThrottlingError, RetryLaterError } from '../shared/aws-errors';
import { chunk, unique } from '../shared/collections';
import type { GateLogger } from '../shared/observability';
import type { MonitorNodeGroup } from './config';
import type { AmiFacts, FleetSnapshot, MonitoredInstance, MonitorState } from './types';

/** ListContainerInstances page size (API maximum). */
export const LIST_PAGE_SIZE = 100;
/** DescribeContainerInstances accepts at most 100 container instances per call. */
export const CONTAINER_INSTANCES_PER_DESCRIBE = 100;
/** DescribeAutoScalingGroups accepts at most 50 names per call by default; pages hold up to 100 groups. */
export const ASG_NAMES_PER_DESCRIBE = 50;
/** AMI ids per DescribeImages `image-id` filter. */
export const AMI_IDS_PER_DESCRIBE = 100;

/** Every container instance ARN of the cluster (all states but INACTIVE, the API default). */
export async function listContainerInstanceArns(ecs: SendClient, cluster: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws('ListContainerInstances', () =>
      ecs.send(new ListContainerInstancesCommand({ cluster, maxResults: LIST_PAGE_SIZE, nextToken })),
    );
    arns.push(...(page.containerInstanceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

function attribute(ci: ContainerInstance, name: string): string | undefined {
  return ci.attributes?.find((a) => a.name === name)?.value;
}

/** Maps the API shape to the monitor's view. `agentConnected` stays a boolean (never compared with a string). */
export function toMonitoredInstance(ci: ContainerInstance): MonitoredInstance | undefined {
  if (!ci.containerInstanceArn || !ci.ec2InstanceId) return undefined;
  return {
    arn: ci.containerInstanceArn,
    ec2InstanceId: ci.ec2InstanceId,
    status: ci.status ?? 'UNKNOWN',
    agentConnected: typeof ci.agentConnected === 'boolean' ? ci.agentConnected : undefined,
    agentUpdateStatus: ci.agentUpdateStatus,
    agentVersion: ci.versionInfo?.agentVersion,
    healthStatus: ci.healthStatus?.overallStatus,
    amiId: attribute(ci, 'ecs.ami-id'),
    osType: attribute(ci, 'ecs.os-type'),
    cpuArchitecture: attribute(ci, 'ecs.cpu-architecture'),
  };
}

/** Describes in batches of ≤ 100, including the instance health the agent reports (agent ≥ 1.57). */
export async function describeContainerInstances(
  ecs: SendClient,
  cluster: string,
  arns: readonly string[],
  logger: GateLogger,
): Promise<MonitoredInstance[]> {
  const instances: MonitoredInstance[] = [];
  for (const batch of chunk(arns, CONTAINER_INSTANCES_PER_DESCRIBE)) {
    const response = await callAws('DescribeContainerInstances', () =>
      ecs.send(
        new DescribeContainerInstancesCommand({
          cluster,
          containerInstances: batch,
          include: ['CONTAINER_INSTANCE_HEALTH'],
        }),
      ),
    );
    for (const ci of response.containerInstances ?? []) {
      const view = toMonitoredInstance(ci);
      if (view) instances.push(view);
    }
    if ((response.failures ?? []).length > 0) {
      // Typically MISSING: deregistered between List and Describe. Harmless for a 15-minute report.
      logger.debug('DescribeContainerInstances failures', { failures: response.failures });
    }
  }
  return instances;
}

/** EC2 instance id → node group name, from the configured ASGs' member lists (paginated, ≤ 50 names per call). */
export async function asgMembership(
  autoScaling: SendClient,
  nodeGroups: readonly MonitorNodeGroup[],
): Promise<Map<string, string>> {
  const groupByAsg = new Map(nodeGroups.map((group) => [group.asgName, group.name]));
  const membership = new Map<string, string>();
  for (const names of chunk([...groupByAsg.keys()], ASG_NAMES_PER_DESCRIBE)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeAutoScalingGroups', () =>
        autoScaling.send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, MaxRecords: 100, NextToken: nextToken }),
        ),
      );
      for (const asg of page.AutoScalingGroups ?? []) {
        const nodeGroup = groupByAsg.get(asg.AutoScalingGroupName ?? '');
        if (!nodeGroup) continue;
        for (const instance of asg.Instances ?? []) {
          if (instance.InstanceId) membership.set(instance.InstanceId, nodeGroup);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return membership;
}

/**
 * Name and creation date of AMIs. Uses the `image-id` *filter* rather than `ImageIds`: with ImageIds a single
 * deregistered AMI fails the whole call (InvalidAMIID.NotFound), with a filter it is simply absent. Deprecated AMIs are
 * included, since old fleets run exactly those.
 */
export async function describeAmis(ec2: SendClient, amiIds: readonly string[]): Promise<Map<string, AmiFacts>> {
  const facts = new Map<string, AmiFacts>();
  for (const batch of chunk(unique(amiIds.filter((id) => /^ami-[0-9a-f]+$/.test(id))), AMI_IDS_PER_DESCRIBE)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeImages', () =>
        ec2.send(
          new DescribeImagesCommand({
            Filters: [{ Name: 'image-id', Values: batch }],
            IncludeDeprecated: true,
            MaxResults: 1000,
            NextToken: nextToken,
          }),
        ),
      );
      for (const image of page.Images ?? []) {
        if (image.ImageId)
          facts.set(image.ImageId, { imageId: image.ImageId, name: image.Name, creationDate: image.CreationDate });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return facts;
}

/** Approved AMI per node group: `approvedAmiId`, else the SSM parameter (plain id or ECS `{"image_id": …}` JSON). */
export async function resolveApprovedAmis(
  ssm: SendClient,
  nodeGroups: readonly MonitorNodeGroup[],
  now: Date,
  logger: GateLogger,
): Promise<Map<string, string | undefined>> {
  const approved = new Map<string, string | undefined>();
  for (const group of nodeGroups) {
    if (group.approvedAmiId || !group.approvedAmiParameter) {
      approved.set(group.name, group.approvedAmiId);
      continue;
    }
    try {
      approved.set(group.name, await readApprovedAmi(ssm, group.approvedAmiParameter, now));
    } catch (error) {
      if (error instanceof RetryLaterError) throw error;
      // Drift for this node group cannot be judged this run; everything else still is.
      logger.warn('approved AMI parameter unreadable; drift not evaluated for this node group', {
        nodeGroup: group.name,
        parameterName: group.approvedAmiParameter,
        errorName: errorName(error),
        errorMessage: errorMessage(error),
      });
      approved.set(group.name, undefined);
    }
  }
  return approved;
}

export interface SnapshotSources {
  readonly ecs: SendClient;
  readonly autoScaling: SendClient;
  readonly ec2: SendClient;
  readonly ssm: SendClient;
  readonly logger: GateLogger;
}

/** One consistent read of the fleet: container instances, node group membership, AMI facts, approved AMIs. */
export async function loadFleetSnapshot(
  sources: SnapshotSources,
  clusterName: string,
  nodeGroups: readonly MonitorNodeGroup[],
  now: Date,
): Promise<FleetSnapshot> {
  const arns = await listContainerInstanceArns(sources.ecs, clusterName);
  const described = await describeContainerInstances(sources.ecs, clusterName, arns, sources.logger);
  const membership = await asgMembership(sources.autoScaling, nodeGroups);
  const instances = described.map((instance) => ({ ...instance, nodeGroup: membership.get(instance.ec2InstanceId) }));
  const approvedAmis = await resolveApprovedAmis(sources.ssm, nodeGroups, now, sources.logger);
  const amiIds = [
    ...instances.map((i) => i.amiId).filter((id): id is string => id !== undefined),
    ...[...approvedAmis.values()].filter((id): id is string => id !== undefined),
  ];
  const amis = await describeAmis(sources.ec2, amiIds);
  return { instances, amis, approvedAmis };
}

const stateSchema = z.object({ v: z.literal(1), at: z.string(), f: z.record(z.string()) });

/** The last persisted state; undefined when the parameter does not exist yet or holds something unreadable. */
export async function loadState(
  ssm: SendClient,
  parameterName: string,
  logger: GateLogger,
): Promise<MonitorState | undefined> {
  let raw: string | undefined;
  try {
    const response = await callAws('GetParameter', () => ssm.send(new GetParameterCommand({ Name: parameterName })));
    raw = response.Parameter?.Value;
  } catch (error) {
    if (errorName(error) === 'ParameterNotFound') return undefined;
    throw error;
  }
  try {
    const parsed = stateSchema.safeParse(JSON.parse(raw ?? ''));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the warning below.
  }
  logger.warn('monitor state parameter unreadable; starting from an empty state', { parameterName });
  return undefined;
}

/** Overwrites the state parameter (String, Standard tier: the digest stays far below 4 KB). */
export async function saveState(ssm: SendClient, parameterName: string, state: MonitorState): Promise<void> {
  await callAws('PutParameter', () =>
    ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: JSON.stringify(state),
        Type: 'String',
        Overwrite: true,
        Tier: 'Standard',
      }),
    ),
  );
}

/** Expected answers of UpdateContainerAgent: states, not errors (a Map: error names are not ours to trust). */
const EXPECTED_UPDATE_EXCEPTIONS: ReadonlyMap<string, AgentUpdateOutcome> = new Map([
  ['NoUpdateAvailableException', 'noUpdateAvailable'],
  ['UpdateInProgressException', 'updateInProgress'],
  ['MissingVersionException', 'missingVersion'],
]);

export type AgentUpdateOutcome =
  'started' | 'noUpdateAvailable' | 'updateInProgress' | 'missingVersion' | 'throttled' | 'failed';

export interface AgentUpdateResult {
  readonly outcome: AgentUpdateOutcome;
  readonly errorName?: string;
  readonly errorMessage?: string;
}

/** Never throws: a failed update is reported (and counted) by the caller. */
export async function startAgentUpdate(
  ecs: SendClient,
  cluster: string,
  containerInstanceArn: string,
): Promise<AgentUpdateResult> {
  try {
    await ecs.send(new UpdateContainerAgentCommand({ cluster, containerInstance: containerInstanceArn }));
    return { outcome: 'started' };
  } catch (error) {
    const name = errorName(error);
    const expected = EXPECTED_UPDATE_EXCEPTIONS.get(name);
    if (expected) return { outcome: expected, errorName: name };
    return {
      outcome: isThrottlingError(error) ? 'throttled' : 'failed',
      errorName: name,
      errorMessage: errorMessage(error),
    };
  }
}
