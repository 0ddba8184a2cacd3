/**
 * What the drain gate asks of the services whose tasks ran on a draining instance. Pure.
 * - Stable again, per deployment controller ("Amazon ECS deployment types", DescribeServices: API_Service.html,
 *   API_Deployment.html, API_TaskSet.html): ECS services through their single PRIMARY deployment, its rollout
 *   COMPLETED and at least desiredCount tasks running — the tasks that left the instance have been replaced; more than
 *   desired is normal while ECS, having started replacements first (maximumPercent > 100), still stops old tasks on
 *   other draining instances, and waiting for exactly desired would tie every drain of a rollout to the slowest one.
 *   CODE_DEPLOY and EXTERNAL services, which report no deployments, through their task sets (one PRIMARY task set in
 *   STEADY_STATE running its computed desired count, no other task set; AWS reports STEADY_STATE only once no task of
 *   the set runs on a DRAINING instance). Daemon services are never waited for: their task is stopped last and not
 *   replaced, their desired count just shrinks with the instance.
 * - Drainable at all: lambdas/shared/service-headroom.ts.
 */
import { ServiceHeadroom, serviceHeadroom } from '../shared/service-headroom';
import { ServiceView, TaskView } from './types';

const SERVICE_GROUP_PREFIX = 'service:';

export interface UnstableService {
  readonly name: string;
  readonly why: string;
}

/** Service name from a task group (`service:web` → `web`); undefined for standalone tasks. */
export function serviceNameOf(task: TaskView): string | undefined {
  return task.group?.startsWith(SERVICE_GROUP_PREFIX) ? task.group.slice(SERVICE_GROUP_PREFIX.length) : undefined;
}

/** Why a service is not steady yet; undefined when stable (or deleted: nothing left to wait for). */
export function serviceInstability(service: ServiceView): string | undefined {
  if (service.status === 'INACTIVE') return undefined;
  const controller = service.deploymentController ?? 'ECS';
  const short = service.runningCount < service.desiredCount;
  if (short || (controller !== 'ECS' && service.runningCount !== service.desiredCount)) {
    return `running ${service.runningCount}/${service.desiredCount}`;
  }
  return controller === 'ECS' ? deploymentInstability(service) : taskSetInstability(service, controller);
}

function deploymentInstability(service: ServiceView): string | undefined {
  if (service.deployments.length !== 1) return `${service.deployments.length} deployments in progress`;
  const [deployment] = service.deployments;
  if (deployment.status !== 'PRIMARY') return `only deployment is ${deployment.status}`;
  if (deployment.rolloutState !== undefined && deployment.rolloutState !== 'COMPLETED') {
    return `rollout ${deployment.rolloutState}`;
  }
  return undefined;
}

function taskSetInstability(service: ServiceView, controller: string): string | undefined {
  const taskSets = service.taskSets ?? [];
  const primary = taskSets.find((taskSet) => taskSet.status === 'PRIMARY');
  if (primary === undefined) return `${controller} service has no PRIMARY task set`;
  const others = taskSets.length - 1;
  if (others > 0) return `${others} other task sets besides the PRIMARY one (deployment in progress)`;
  if (primary.stabilityStatus !== undefined && primary.stabilityStatus !== 'STEADY_STATE') {
    return `PRIMARY task set ${primary.stabilityStatus}`;
  }
  if (primary.runningCount !== primary.computedDesiredCount) {
    return `PRIMARY task set running ${primary.runningCount}/${primary.computedDesiredCount}`;
  }
  return undefined;
}

/** Replica services that had tasks on the instance (running or stopped) and are not steady yet, by name. */
export function unstableServicesThatRanHere(
  ranHere: readonly string[],
  servicesByName: ReadonlyMap<string, ServiceView>,
): UnstableService[] {
  const unstable: UnstableService[] = [];
  for (const name of [...new Set(ranHere)].sort()) {
    const service = servicesByName.get(name);
    if (service === undefined || service.schedulingStrategy === 'DAEMON') continue;
    const why = serviceInstability(service);
    if (why !== undefined) unstable.push({ name, why });
  }
  return unstable;
}

/** Services with a task still on the instance that ECS cannot move (no headroom), by name. */
export function servicesHoldingTheDrain(
  activeTasks: readonly TaskView[],
  servicesByName: ReadonlyMap<string, ServiceView>,
): ServiceHeadroom[] {
  const held: ServiceHeadroom[] = [];
  for (const name of namesOf(activeTasks)) {
    const service = servicesByName.get(name);
    if (service === undefined) continue;
    const headroom = serviceHeadroom({
      name,
      status: service.status,
      schedulingStrategy: service.schedulingStrategy,
      deploymentController: service.deploymentController,
      launchType: service.launchType,
      capacityProviders: service.capacityProviders,
      desiredCount: service.desiredCount,
      minimumHealthyPercent: service.minimumHealthyPercent,
      maximumPercent: service.maximumPercent,
    });
    if (headroom.verdict === 'no-headroom') held.push(headroom);
  }
  return held;
}

/** The service names of these tasks, sorted, each once. */
export function namesOf(tasks: readonly TaskView[]): string[] {
  return [...new Set(tasks.map(serviceNameOf).filter((name): name is string => name !== undefined))].sort();
}
