/**
 * ECS container-instance adapter: find the container instance of EC2 instances (batched), set DRAINING, and read /
 * write the gates' per-instance state (custom attributes, returned by DescribeContainerInstances for free).
 */
import {
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
  PutAttributesCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { SendClient } from '../../shared/aws-client';
import { callAws } from '../../shared/aws-errors';
import { chunk } from '../../shared/collections';
import { ContainerInstanceView } from '../types';

/** DescribeContainerInstances accepts at most 100 container instances per call. */
export const CONTAINER_INSTANCES_PER_DESCRIBE = 100;
/** EC2 ids per `ec2InstanceId in [...]` cluster-query filter: keeps the expression well under 2 KB. */
export const EC2_IDS_PER_FILTER = 50;
/** ListContainerInstances page size (maximum 100). */
export const LIST_PAGE_SIZE = 100;

/** Registration states in order of relevance when one EC2 instance registered more than once. */
const STATUS_PRIORITY = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE'];

/** Container instances of the given EC2 instances, keyed by EC2 instance id; unregistered instances are absent. */
export async function findContainerInstances(
  ecs: SendClient,
  cluster: string,
  ec2InstanceIds: readonly string[],
): Promise<Map<string, ContainerInstanceView>> {
  const arns: string[] = [];
  for (const batch of chunk(ec2InstanceIds, EC2_IDS_PER_FILTER)) {
    const filter = `ec2InstanceId in [${batch.map((id) => `'${id}'`).join(',')}]`;
    let nextToken: string | undefined;
    do {
      const page = await callAws('ListContainerInstances', () =>
        ecs.send(new ListContainerInstancesCommand({ cluster, filter, maxResults: LIST_PAGE_SIZE, nextToken })),
      );
      arns.push(...(page.containerInstanceArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  const byEc2Id = new Map<string, ContainerInstanceView>();
  for (const view of await describeContainerInstances(ecs, cluster, arns)) {
    const current = byEc2Id.get(view.ec2InstanceId);
    if (current === undefined || rank(view) < rank(current)) byEc2Id.set(view.ec2InstanceId, view);
  }
  return byEc2Id;
}

function rank(view: ContainerInstanceView): number {
  const index = STATUS_PRIORITY.indexOf(view.status);
  return index === -1 ? STATUS_PRIORITY.length : index;
}

export async function describeContainerInstances(
  ecs: SendClient,
  cluster: string,
  arns: readonly string[],
): Promise<ContainerInstanceView[]> {
  const views: ContainerInstanceView[] = [];
  for (const batch of chunk(arns, CONTAINER_INSTANCES_PER_DESCRIBE)) {
    const response = await callAws('DescribeContainerInstances', () =>
      ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: batch, include: ['CONTAINER_INSTANCE_HEALTH'] })),
    );
    for (const ci of response.containerInstances ?? []) {
      if (!ci.containerInstanceArn || !ci.ec2InstanceId) continue;
      const attributes: Record<string, string> = {};
      for (const attribute of ci.attributes ?? []) {
        if (attribute.name && attribute.value !== undefined && !attribute.name.startsWith('ecs.')) {
          attributes[attribute.name] = attribute.value;
        }
      }
      views.push({
        arn: ci.containerInstanceArn,
        ec2InstanceId: ci.ec2InstanceId,
        status: ci.status ?? 'UNKNOWN',
        agentConnected: ci.agentConnected === true,
        healthStatus: ci.healthStatus?.overallStatus,
        attributes,
      });
    }
  }
  return views;
}

/** Idempotent by contract: callers only call it for ACTIVE instances (the decision's `setDraining`). */
export async function setDraining(ecs: SendClient, cluster: string, containerInstanceArn: string): Promise<void> {
  await callAws('UpdateContainerInstancesState', () =>
    ecs.send(new UpdateContainerInstancesStateCommand({ cluster, containerInstances: [containerInstanceArn], status: 'DRAINING' })),
  );
}

/** Writes custom attributes on one container instance (one call; PutAttributes takes up to 10 attributes). */
export async function putInstanceAttributes(
  ecs: SendClient,
  cluster: string,
  containerInstanceArn: string,
  values: Readonly<Record<string, string>>,
): Promise<void> {
  const attributes = Object.entries(values).map(([name, value]) => ({
    name,
    value,
    targetType: 'container-instance' as const,
    targetId: containerInstanceArn,
  }));
  if (attributes.length === 0) return;
  await callAws('PutAttributes', () => ecs.send(new PutAttributesCommand({ cluster, attributes })));
}
