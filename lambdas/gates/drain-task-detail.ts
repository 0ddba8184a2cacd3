/**
 * Tasks and services of the container instances whose drain check needs them (see `needsTaskDetail`), in batched
 * calls shared by all instances of a run: ListTasks per instance (a few in flight), DescribeTasks ≤ 100 tasks per call
 * across instances, DescribeServices ≤ 10 names per call, each service described once per run however many instances
 * it ran on. Throttling is contained: a throttled call marks only the instances whose answer it carried.
 */
import { RetryLaterError } from '../shared/aws-errors';
import { SendClient } from '../shared/aws-client';
import { chunk, mapWithLimit, unique } from '../shared/collections';
import {
  SERVICES_PER_DESCRIBE,
  TASKS_PER_DESCRIBE,
  describeServices,
  describeTasks,
  listTaskArns,
} from './adapters/ecs-tasks';
import { serviceNameOf } from './drain-decision';
import { ServiceView, TaskView } from './types';

/** ListTasks calls in flight during a sweep: fast, yet far below the ECS API rate limits. */
const LIST_TASKS_CONCURRENCY = 5;

export interface TaskDetail {
  /** Tasks per container-instance ARN (instances that were read completely). */
  readonly tasksByInstance: Map<string, TaskView[]>;
  /** Services named by those tasks (deleted ones are absent). */
  readonly services: ServiceView[];
  /** Container-instance ARN → the throttled read that left its detail incomplete. */
  readonly throttled: Map<string, RetryLaterError>;
}

/**
 * `known`: tasks already known for some instances (the memory's emptied instances): those are not listed again, only
 * their services are described (fresh).
 */
export async function loadTaskDetail(
  ecs: SendClient,
  cluster: string,
  containerInstanceArns: readonly string[],
  known: ReadonlyMap<string, readonly TaskView[]> = new Map(),
): Promise<TaskDetail> {
  const throttled = new Map<string, RetryLaterError>();
  const contain = async <T>(arns: readonly string[], read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof RetryLaterError)) throw error;
      for (const arn of arns) if (!throttled.has(arn)) throttled.set(arn, error);
      return undefined;
    }
  };

  const toList = containerInstanceArns.filter((ciArn) => !known.has(ciArn));
  const arnLists = await mapWithLimit(toList, LIST_TASKS_CONCURRENCY, (ciArn) =>
    contain([ciArn], () => listTaskArns(ecs, cluster, ciArn)),
  );
  const instanceOfTask = new Map<string, string>();
  toList.forEach((ciArn, index) => arnLists[index]?.forEach((taskArn) => instanceOfTask.set(taskArn, ciArn)));

  const tasksByInstance = new Map<string, TaskView[]>();
  for (const ciArn of containerInstanceArns)
    if (!throttled.has(ciArn)) tasksByInstance.set(ciArn, [...(known.get(ciArn) ?? [])]);
  for (const batch of chunk([...instanceOfTask.keys()], TASKS_PER_DESCRIBE)) {
    const owners = unique(batch.map((taskArn) => instanceOfTask.get(taskArn) as string));
    const tasks = await contain(owners, () => describeTasks(ecs, cluster, batch));
    for (const task of tasks ?? []) {
      const ciArn = instanceOfTask.get(task.taskArn) ?? task.containerInstanceArn;
      if (ciArn) tasksByInstance.get(ciArn)?.push(task);
    }
  }
  for (const ciArn of throttled.keys()) tasksByInstance.delete(ciArn);

  // Each service once per run, however many instances it ran on.
  const instancesOfService = new Map<string, string[]>();
  for (const [ciArn, tasks] of tasksByInstance) {
    for (const name of unique(tasks.map(serviceNameOf).filter((n): n is string => n !== undefined))) {
      instancesOfService.set(name, [...(instancesOfService.get(name) ?? []), ciArn]);
    }
  }
  const services: ServiceView[] = [];
  for (const batch of chunk([...instancesOfService.keys()].sort(), SERVICES_PER_DESCRIBE)) {
    const owners = unique(batch.flatMap((name) => instancesOfService.get(name) ?? []));
    services.push(...((await contain(owners, () => describeServices(ecs, cluster, batch))) ?? []));
  }
  for (const ciArn of throttled.keys()) tasksByInstance.delete(ciArn);
  return { tasksByInstance, services, throttled };
}
