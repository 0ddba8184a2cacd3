/**
 * What the drain gate knows about the tasks and services of the instances it checks, at the lowest cost:
 * - one ListTasks per drain: when the gate sets an instance DRAINING it first lists the tasks meant to run there
 *   (desiredStatus RUNNING); after DRAINING, ECS places nothing there ("Draining Amazon ECS container instances"), so
 *   later checks only DescribeTasks those ARNs, 100 per call across instances, and skip the ones already STOPPED;
 * - an environment that did not see the drain start (the other concurrent batch's, or a cold one) lists only what the
 *   decision needs: nothing for an emptied instance whose drain recorded the services that ran there (drain-state.ts),
 *   else its STOPPED tasks; an occupied one's RUNNING tasks when a service re-check or the standalone-task grace is
 *   due, otherwise nothing (it waits either way);
 * - a check that finds the instance still holding resources with every known task STOPPED lists again, but only when
 *   the previous check saw the same (the two reads are not atomic: a task stopping in between is no surprise);
 * - DescribeServices, 10 per call, each service once per gate run, only for instances whose decision needs it: the
 *   first check of a drain (a service without headroom is reported at once), an emptied instance (is every service
 *   that ran there stable?), and an occupied one every SERVICE_RECHECK_SECONDS (a service that lost its headroom).
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
import { instanceOccupied } from './drain-decision';
import { namesOf } from './drain-services';
import { readDrainState } from './drain-state';
import { ContainerInstanceView, ServiceView, TaskView, secondsBetween } from './types';
import { GateWarmCache } from './warm-cache';

/** ListTasks calls in flight: fast, yet far below the ECS API rate limits. */
const LIST_TASKS_CONCURRENCY = 5;
/** An occupied instance's services are read again after this long (a service may lose its headroom mid-drain). */
export const SERVICE_RECHECK_SECONDS = 300;

export interface DrainKnowledge {
  /** Known tasks per container-instance ARN, current status; absent = not known in this check. */
  readonly tasksByInstance: Map<string, TaskView[]>;
  /** The services named by an instance's tasks, per container-instance ARN; absent = not read in this check. */
  readonly servicesByInstance: Map<string, ServiceView[]>;
  /** Container-instance ARN → the throttled read that left its knowledge incomplete. */
  readonly throttled: Map<string, RetryLaterError>;
}

/** Services described in one gate run (null: deleted), shared by its chunks. */
export type RunServices = Map<string, ServiceView | null>;

export interface KnowledgeOptions {
  readonly now: Date;
  /** 0 = never: standalone tasks are waited for, never stopped. */
  readonly standaloneTaskGraceSeconds: number;
  readonly services: RunServices;
}

export async function loadDrainKnowledge(
  ecs: SendClient,
  cluster: string,
  instances: readonly ContainerInstanceView[],
  cache: GateWarmCache,
  options: KnowledgeOptions,
): Promise<DrainKnowledge> {
  const { now } = options;
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
  const needsServices = new Set<string>();
  const firstListing: { ci: ContainerInstanceView; statuses: DesiredStatus[] }[] = [];
  for (const ci of live) {
    const occupied = instanceOccupied(ci, undefined);
    const elapsed = drainElapsed(ci, now);
    const recheckDue =
      ci.status === 'ACTIVE' ||
      !occupied ||
      secondsBetween(cache.servicesReadAt(ci.arn) ?? readDrainState(ci).drainStartedAt ?? now, now) >=
        SERVICE_RECHECK_SECONDS;
    if (recheckDue) needsServices.add(ci.arn);
    if (ci.status === 'ACTIVE') firstListing.push({ ci, statuses: ['RUNNING'] });
    else if (cache.drainTaskArns(ci.arn) !== undefined) continue;
    else if (!occupied) {
      if (readDrainState(ci).services === undefined) firstListing.push({ ci, statuses: ['STOPPED'] });
    } else if (recheckDue || graceOver(elapsed, options.standaloneTaskGraceSeconds)) {
      firstListing.push({ ci, statuses: ['RUNNING'] });
    }
  }
  await list(firstListing);
  await describe(live);
  // Still occupied, yet every known task STOPPED, twice in a row: a task we never listed sits there. List again.
  const listedNow = new Set(firstListing.map(({ ci }) => ci.arn));
  const suspects = live.filter(
    (ci) =>
      ci.status === 'DRAINING' &&
      !listedNow.has(ci.arn) &&
      !throttled.has(ci.arn) &&
      cache.drainTaskArns(ci.arn) !== undefined &&
      ci.holdsResources === true &&
      known(ci).every((task) => task.lastStatus === 'STOPPED'),
  );
  const surprises = suspects.filter((ci) => cache.wasSuspect(ci.arn));
  for (const ci of live) cache.markSuspect(ci.arn, suspects.includes(ci));
  if (surprises.length > 0) {
    await list(surprises.map((ci) => ({ ci, statuses: ['RUNNING', 'STOPPED'] as DesiredStatus[] })));
    await describe(surprises);
  }

  const tasksByInstance = new Map<string, TaskView[]>();
  for (const ci of live) {
    if (!throttled.has(ci.arn) && cache.drainTaskArns(ci.arn) !== undefined) tasksByInstance.set(ci.arn, known(ci));
  }
  const ranHere = new Map<string, string[]>();
  for (const ci of live) {
    const recorded = readDrainState(ci).services;
    const tasks = tasksByInstance.get(ci.arn);
    if (!needsServices.has(ci.arn) || throttled.has(ci.arn) || (tasks === undefined && recorded === undefined))
      continue;
    ranHere.set(ci.arn, unique([...namesOf(tasks ?? []), ...(recorded ?? [])]));
  }
  const servicesByInstance = await readServices(ecs, cluster, ranHere, options.services, contain);
  for (const ciArn of servicesByInstance.keys()) cache.rememberServicesRead(ciArn, now);
  for (const ciArn of throttled.keys()) {
    tasksByInstance.delete(ciArn);
    servicesByInstance.delete(ciArn);
  }
  return { tasksByInstance, servicesByInstance, throttled };
}

/** The services that ran on each instance, each described once per run however many instances it ran on. */
async function readServices(
  ecs: SendClient,
  cluster: string,
  ranHere: ReadonlyMap<string, readonly string[]>,
  run: RunServices,
  contain: <T>(arns: readonly string[], read: () => Promise<T>) => Promise<T | undefined>,
): Promise<Map<string, ServiceView[]>> {
  const instancesOfService = new Map<string, string[]>();
  for (const [ciArn, names] of ranHere) {
    for (const name of names) {
      if (!run.has(name)) instancesOfService.set(name, [...(instancesOfService.get(name) ?? []), ciArn]);
    }
  }
  const failed = new Set<string>();
  for (const batch of chunk([...instancesOfService.keys()].sort(), SERVICES_PER_DESCRIBE)) {
    const owners = unique(batch.flatMap((name) => instancesOfService.get(name) ?? []));
    const services = await contain(owners, () => describeServices(ecs, cluster, batch));
    if (services === undefined) {
      for (const owner of owners) failed.add(owner);
      continue;
    }
    const found = new Map(services.map((service) => [service.name, service]));
    for (const name of batch) run.set(name, found.get(name) ?? null);
  }
  const servicesByInstance = new Map<string, ServiceView[]>();
  for (const [ciArn, names] of ranHere) {
    if (failed.has(ciArn)) continue;
    servicesByInstance.set(
      ciArn,
      names.flatMap((name) => run.get(name) ?? []),
    );
  }
  return servicesByInstance;
}

function drainElapsed(ci: ContainerInstanceView, now: Date): number {
  const started = readDrainState(ci).drainStartedAt;
  return started === undefined ? 0 : secondsBetween(started, now);
}

function graceOver(elapsed: number, graceSeconds: number): boolean {
  return graceSeconds > 0 && elapsed >= graceSeconds;
}
