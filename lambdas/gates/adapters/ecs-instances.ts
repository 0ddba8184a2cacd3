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
import { RetryLaterError, callAws, errorName } from '../../shared/aws-errors';
import { chunk, unique } from '../../shared/collections';
import { holdsResources } from '../resources';
import { ContainerInstanceView } from '../types';

/** DescribeContainerInstances accepts at most 100 container instances per call. */
export const CONTAINER_INSTANCES_PER_DESCRIBE = 100;
/** EC2 ids per `ec2InstanceId in [...]` cluster-query filter: keeps the expression well under 2 KB. */
export const EC2_IDS_PER_FILTER = 50;
/** ListContainerInstances page size (maximum 100). */
export const LIST_PAGE_SIZE = 100;
/** UpdateContainerInstancesState accepts at most 10 container instances per call (API reference). */
export const CONTAINER_INSTANCES_PER_STATE_UPDATE = 10;
/** PutAttributes accepts at most 10 attributes per call, for any targets in the cluster (API reference). */
export const ATTRIBUTES_PER_PUT = 10;
/** PutAttributes on an instance that has its 10 custom attributes already. */
export const ATTRIBUTE_LIMIT_EXCEEDED = 'AttributeLimitExceededException';

/** Registration states in order of relevance when one EC2 instance registered more than once. */
const STATUS_PRIORITY = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE'];

/** Result of a lookup that tolerates throttling per batch (the drain gate heartbeats what it could not read). */
export interface ContainerInstanceLookup {
  /** Container instances keyed by EC2 instance id; registered instances only (unregistered ones are absent). */
  readonly byEc2Id: Map<string, ContainerInstanceView>;
  /** EC2 instance ids whose lookup was throttled: unknown, neither registered nor unregistered. */
  readonly throttled: Map<string, RetryLaterError>;
}

/**
 * Container instances of the given EC2 instances, keyed by EC2 instance id; unregistered instances are absent.
 * `knownArns` (EC2 id → container-instance ARN, e.g. from an ECS event or an earlier lookup) skips
 * ListContainerInstances for those ids; a known ARN that turns out INACTIVE or missing is looked up again (the agent
 * may have re-registered). Throttling → RetryLaterError (use `lookupContainerInstances` to keep going per batch).
 */
export async function findContainerInstances(
  ecs: SendClient,
  cluster: string,
  ec2InstanceIds: readonly string[],
  knownArns: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, ContainerInstanceView>> {
  const { byEc2Id, throttled } = await lookupContainerInstances(ecs, cluster, ec2InstanceIds, knownArns);
  const [firstThrottled] = throttled.values();
  if (firstThrottled) throw firstThrottled;
  return byEc2Id;
}

/** As `findContainerInstances`, but a throttled batch only leaves its own instances unknown (`throttled`). */
export async function lookupContainerInstances(
  ecs: SendClient,
  cluster: string,
  ec2InstanceIds: readonly string[],
  knownArns: ReadonlyMap<string, string> = new Map(),
): Promise<ContainerInstanceLookup> {
  const byEc2Id = new Map<string, ContainerInstanceView>();
  const throttled = new Map<string, RetryLaterError>();
  const ids = unique(ec2InstanceIds);
  const known = ids.filter((id) => knownArns.has(id));
  const fromKnown = await describeTolerant(
    ecs,
    cluster,
    known.map((id) => knownArns.get(id) as string),
    (from, to, error) => {
      for (const id of known.slice(from, to)) throttled.set(id, error);
    },
  );
  // A remembered ARN that is gone or INACTIVE may have been replaced by a new registration: look the id up again.
  const stale = known.filter((id) => !throttled.has(id) && !isLive(fromKnown.get(id)));
  for (const [id, view] of fromKnown) if (isLive(view)) byEc2Id.set(id, view);

  const toList = [...ids.filter((id) => !knownArns.has(id)), ...stale];
  const listed: string[] = [];
  for (const batch of chunk(toList, EC2_IDS_PER_FILTER)) {
    try {
      listed.push(...(await listByEc2Ids(ecs, cluster, batch)));
    } catch (error) {
      if (!(error instanceof RetryLaterError)) throw error;
      for (const id of batch) throttled.set(id, error);
    }
  }
  let listedUnknown: RetryLaterError | undefined;
  const fromList = await describeTolerant(ecs, cluster, listed, (_from, _to, error) => (listedUnknown = error));
  for (const [id, view] of fromList) if (!throttled.has(id)) byEc2Id.set(id, view);
  // A throttled describe of listed ARNs: which EC2 ids they belong to is unknown, so every listed id not found is
  // unknown.
  if (listedUnknown)
    for (const id of toList) if (!byEc2Id.has(id) && !throttled.has(id)) throttled.set(id, listedUnknown);
  return { byEc2Id, throttled };
}

async function listByEc2Ids(ecs: SendClient, cluster: string, batch: readonly string[]): Promise<string[]> {
  const arns: string[] = [];
  const filter = `ec2InstanceId in [${batch.map((id) => `'${id}'`).join(',')}]`;
  let nextToken: string | undefined;
  do {
    const page = await callAws('ListContainerInstances', () =>
      ecs.send(new ListContainerInstancesCommand({ cluster, filter, maxResults: LIST_PAGE_SIZE, nextToken })),
    );
    arns.push(...(page.containerInstanceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/**
 * Describes ARNs in batches of 100; the best registration per EC2 id wins. A throttled batch is reported through
 * `onThrottled(from, to, error)` (its index range in `arns`) and the other batches go on.
 */
async function describeTolerant(
  ecs: SendClient,
  cluster: string,
  arns: readonly string[],
  onThrottled: (from: number, to: number, error: RetryLaterError) => void,
): Promise<Map<string, ContainerInstanceView>> {
  const best = new Map<string, ContainerInstanceView>();
  const batches = chunk(arns, CONTAINER_INSTANCES_PER_DESCRIBE);
  for (const [index, batch] of batches.entries()) {
    let views: ContainerInstanceView[];
    try {
      views = await describeContainerInstances(ecs, cluster, batch);
    } catch (error) {
      if (!(error instanceof RetryLaterError)) throw error;
      onThrottled(index * CONTAINER_INSTANCES_PER_DESCRIBE, (index + 1) * CONTAINER_INSTANCES_PER_DESCRIBE, error);
      continue;
    }
    for (const view of views) {
      const current = best.get(view.ec2InstanceId);
      if (current === undefined || rank(view) < rank(current)) best.set(view.ec2InstanceId, view);
    }
  }
  return best;
}

function isLive(view: ContainerInstanceView | undefined): boolean {
  return view !== undefined && view.status !== 'INACTIVE';
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
      ecs.send(
        new DescribeContainerInstancesCommand({
          cluster,
          containerInstances: batch,
          include: ['CONTAINER_INSTANCE_HEALTH'],
        }),
      ),
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
        runningTasksCount: ci.runningTasksCount,
        pendingTasksCount: ci.pendingTasksCount,
        holdsResources: holdsResources(ci.registeredResources, ci.remainingResources),
      });
    }
  }
  return views;
}

/**
 * Sets container instances to DRAINING, 10 per call. Idempotent by contract: callers pass ACTIVE instances only (the
 * decision's `setDraining`). Returns the ARNs ECS reported as failures (e.g. already INACTIVE): those stay as they are.
 */
export async function setDraining(ecs: SendClient, cluster: string, arns: readonly string[]): Promise<Set<string>> {
  const failed = new Set<string>();
  for (const batch of chunk(unique(arns), CONTAINER_INSTANCES_PER_STATE_UPDATE)) {
    const response = await callAws('UpdateContainerInstancesState', () =>
      ecs.send(new UpdateContainerInstancesStateCommand({ cluster, containerInstances: batch, status: 'DRAINING' })),
    );
    for (const failure of response.failures ?? []) if (failure.arn) failed.add(failure.arn);
  }
  return failed;
}

/** Custom attributes to write, per container-instance ARN. */
export type AttributeWrites = ReadonlyMap<string, Readonly<Record<string, string>>>;

/**
 * Writes custom attributes on many container instances at once: PutAttributes takes up to 10 attributes, each with
 * its own target, so ten instances' single attribute (or five instances' two) cost one call.
 */
/**
 * Records attributes, 10 per call across instances. An instance that already carries AWS's maximum of 10 custom
 * attributes ("You can apply up to 10 custom attributes for each resource": AttributeLimitExceededException) fails
 * its whole batch; the batch is then written per instance, and the instances that are full are returned: their drain
 * state is not recorded (the gate works without it, at the cost of spare heartbeats and repeated alerts).
 */
export async function putAttributes(ecs: SendClient, cluster: string, writes: AttributeWrites): Promise<Set<string>> {
  const attributes = [...writes].flatMap(([targetId, values]) =>
    Object.entries(values).map(([name, value]) => ({
      name,
      value,
      targetType: 'container-instance' as const,
      targetId,
    })),
  );
  const full = new Set<string>();
  const put = async (batch: typeof attributes): Promise<boolean> => {
    try {
      await callAws('PutAttributes', () => ecs.send(new PutAttributesCommand({ cluster, attributes: batch })));
      return true;
    } catch (error) {
      if (errorName(error) !== ATTRIBUTE_LIMIT_EXCEEDED) throw error;
      return false;
    }
  };
  for (const batch of chunk(attributes, ATTRIBUTES_PER_PUT)) {
    if (await put(batch)) continue;
    const targets = unique(batch.map((attribute) => attribute.targetId));
    if (targets.length === 1) full.add(targets[0]);
    else {
      for (const targetId of targets) {
        if (!(await put(batch.filter((attribute) => attribute.targetId === targetId)))) full.add(targetId);
      }
    }
  }
  return full;
}
