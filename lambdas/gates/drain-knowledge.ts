/**
 * What the drain gate knows about the tasks of the instances it checks, at the lowest cost:
 * - one ListTasks per drain: when the gate sets an instance DRAINING it first lists the tasks meant to run there
 *   (desiredStatus RUNNING); after DRAINING, ECS places nothing there ("Draining Amazon ECS container instances"), so
 *   later checks only DescribeTasks those ARNs, 100 per call across instances, and skip the ones already STOPPED;
 * - a cold environment (no remembered ARNs) lists both RUNNING and STOPPED once; so does a check that finds the
 *   instance still holding resources with every known task STOPPED (a task placed in the instant before DRAINING, or
 *   one that was already stopping);
 * - DescribeServices for the services of those tasks, 10 per call, each once per run.
 * Throttling is contained: a throttled call marks only the instances whose answer it carried.
 */
import { RetryLaterError } from '../shared/aws-errors';
import { SendClient } from '../shared/aws-client';
import { chunk, mapWithLimit, unique } from '../shared/collections';
import {
  DesiredStatus,
  SERVICES_PER_DESCRIBE,
  TASKS_PER_DESCRIBE,
  describeServices,
  describeTasks,
  listTaskArns,
} from './adapters/ecs-tasks';
import { serviceNameOf } from './drain-services';
import { ContainerInstanceView, ServiceView, TaskView } from './types';
import { GateWarmCache } from './warm-cache';

/** ListTasks calls in flight: fast, yet far below the ECS API rate limits. */
const LIST_TASKS_CONCURRENCY = 5;

export interface DrainKnowledge {
  /** Known tasks per container-instance ARN, current status (instances read completely). */
  readonly tasksByInstance: Map<string, TaskView[]>;
  /** Services named by those tasks (deleted ones are absent). */
  readonly services: ServiceView[];
  /** Container-instance ARN → the throttled read that left its knowledge incomplete. */
  readonly throttled: Map<string, RetryLaterError>;
}

export async function loadDrainKnowledge(
  ecs: SendClient,
  cluster: string,
  instances: readonly ContainerInstanceView[],
  cache: GateWarmCache,
): Promise<DrainKnowledge> {
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
  const list = async (targets: readonly { ci: ContainerInstanceView; statuses: DesiredStatus[] }[]): Promise<void> => {
    await mapWithLimit(targets, LIST_TASKS_CONCURRENCY, async ({ ci, statuses }) => {
      const arns = await contain([ci.arn], () => listTaskArns(ecs, cluster, ci.arn, statuses));
      // An ACTIVE instance's listing replaces what was known; a DRAINING one's adds to it.
      const before = ci.status === 'ACTIVE' ? [] : (cache.drainTaskArns(ci.arn) ?? []);
      if (arns !== undefined) cache.rememberDrainTasks(ci.arn, [...before, ...arns]);
    });
  };
  const describe = async (subjects: readonly ContainerInstanceView[]): Promise<void> => {
    const owner = new Map<string, string>();
    for (const ci of subjects) {
      for (const arn of cache.drainTaskArns(ci.arn) ?? []) {
        if (cache.lastSeen(arn)?.lastStatus !== 'STOPPED') owner.set(arn, ci.arn);
      }
    }
    for (const batch of chunk([...owner.keys()], TASKS_PER_DESCRIBE)) {
      const owners = unique(batch.map((arn) => owner.get(arn) as string));
      const tasks = await contain(owners, () => describeTasks(ecs, cluster, batch));
      if (tasks === undefined) continue;
      for (const task of tasks) cache.rememberTask(task);
      // DescribeTasks reports a task it no longer keeps as MISSING (stopped more than about an hour ago): gone.
      const found = new Set(tasks.map((task) => task.taskArn));
      for (const arn of batch) {
        if (!found.has(arn)) cache.rememberTask({ taskArn: arn, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      }
    }
  };
  const known = (ci: ContainerInstanceView): TaskView[] =>
    (cache.drainTaskArns(ci.arn) ?? []).flatMap((arn) => cache.lastSeen(arn) ?? []);

  const live = instances.filter((ci) => ci.status === 'ACTIVE' || ci.status === 'DRAINING');
  const firstListing = live.flatMap((ci) => {
    if (ci.status === 'ACTIVE') return [{ ci, statuses: ['RUNNING'] as DesiredStatus[] }];
    if (cache.drainTaskArns(ci.arn) === undefined) return [{ ci, statuses: ['RUNNING', 'STOPPED'] as DesiredStatus[] }];
    return [];
  });
  await list(firstListing);
  await describe(live);
  // Still occupied, yet every known task STOPPED: a task we never listed sits there. List again, once.
  const listedNow = new Set(firstListing.map(({ ci }) => ci.arn));
  const surprises = live.filter(
    (ci) =>
      ci.status === 'DRAINING' &&
      !listedNow.has(ci.arn) &&
      !throttled.has(ci.arn) &&
      ci.holdsResources === true &&
      known(ci).every((task) => task.lastStatus === 'STOPPED'),
  );
  if (surprises.length > 0) {
    await list(surprises.map((ci) => ({ ci, statuses: ['RUNNING', 'STOPPED'] as DesiredStatus[] })));
    await describe(surprises);
  }

  const tasksByInstance = new Map<string, TaskView[]>();
  for (const ci of live) if (!throttled.has(ci.arn)) tasksByInstance.set(ci.arn, known(ci));

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
