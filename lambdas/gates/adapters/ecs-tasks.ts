/** ECS task and service adapter for the drain gate: paginated ListTasks, batched DescribeTasks / DescribeServices. */
import {
  CapacityProviderStrategyItem,
  Deployment,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  StopTaskCommand,
  TaskSet,
} from '@aws-sdk/client-ecs';
import { SendClient } from '../../shared/aws-client';
import { callAws } from '../../shared/aws-errors';
import { chunk, unique } from '../../shared/collections';
import { ServiceView, TaskView } from '../types';

export const TASKS_PER_DESCRIBE = 100;
export const SERVICES_PER_DESCRIBE = 10;
export const LIST_TASKS_PAGE_SIZE = 100;

export interface TaskOnInstance extends TaskView {
  readonly containerInstanceArn?: string;
}

export type DesiredStatus = 'RUNNING' | 'STOPPED';

/**
 * Task ARNs on one container instance with the given desired statuses (ListTasks filters on one at a time).
 * RUNNING: running or starting — what a drain must wait for when it begins, before DRAINING stops any of them.
 * STOPPED: still stopping, or stopped recently (ECS keeps stopped tasks listable for about an hour): what a drain
 * found already under way must add.
 */
export async function listTaskArns(
  ecs: SendClient,
  cluster: string,
  containerInstanceArn: string,
  desiredStatuses: readonly DesiredStatus[] = ['RUNNING'],
): Promise<string[]> {
  const arns: string[] = [];
  for (const desiredStatus of desiredStatuses) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('ListTasks', () =>
        ecs.send(
          new ListTasksCommand({
            cluster,
            containerInstance: containerInstanceArn,
            desiredStatus,
            maxResults: LIST_TASKS_PAGE_SIZE,
            nextToken,
          }),
        ),
      );
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return unique(arns);
}

export async function describeTasks(
  ecs: SendClient,
  cluster: string,
  taskArns: readonly string[],
): Promise<TaskOnInstance[]> {
  const tasks: TaskOnInstance[] = [];
  for (const batch of chunk(unique(taskArns), TASKS_PER_DESCRIBE)) {
    const response = await callAws('DescribeTasks', () =>
      ecs.send(new DescribeTasksCommand({ cluster, tasks: batch })),
    );
    for (const task of response.tasks ?? []) {
      if (!task.taskArn) continue;
      tasks.push({
        taskArn: task.taskArn,
        lastStatus: task.lastStatus ?? 'UNKNOWN',
        desiredStatus: task.desiredStatus ?? 'UNKNOWN',
        group: task.group,
        startedBy: task.startedBy,
        containerInstanceArn: task.containerInstanceArn,
      });
    }
  }
  return tasks;
}

/** Services by name; names DescribeServices reports as MISSING (deleted) are simply absent. */
export async function describeServices(
  ecs: SendClient,
  cluster: string,
  names: readonly string[],
): Promise<ServiceView[]> {
  const services: ServiceView[] = [];
  for (const batch of chunk(unique(names), SERVICES_PER_DESCRIBE)) {
    const response = await callAws('DescribeServices', () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: batch })),
    );
    for (const service of response.services ?? []) {
      if (!service.serviceName) continue;
      services.push({
        name: service.serviceName,
        status: service.status ?? 'UNKNOWN',
        schedulingStrategy: service.schedulingStrategy ?? 'REPLICA',
        runningCount: service.runningCount ?? 0,
        desiredCount: service.desiredCount ?? 0,
        deployments: (service.deployments ?? []).map((deployment: Deployment) => ({
          status: deployment.status ?? 'UNKNOWN',
          rolloutState: deployment.rolloutState,
        })),
        deploymentController: service.deploymentController?.type,
        taskSets: (service.taskSets ?? []).map((taskSet: TaskSet) => ({
          status: taskSet.status ?? 'UNKNOWN',
          stabilityStatus: taskSet.stabilityStatus,
          runningCount: taskSet.runningCount ?? 0,
          computedDesiredCount: taskSet.computedDesiredCount ?? 0,
        })),
        minimumHealthyPercent: service.deploymentConfiguration?.minimumHealthyPercent,
        maximumPercent: service.deploymentConfiguration?.maximumPercent,
        launchType: service.launchType,
        capacityProviders: (service.capacityProviderStrategy ?? [])
          .map((item: CapacityProviderStrategyItem) => item.capacityProvider)
          .filter((name: string | undefined): name is string => name !== undefined),
      });
    }
  }
  return services;
}

export async function stopTask(ecs: SendClient, cluster: string, taskArn: string, reason: string): Promise<void> {
  // StopTask's reason is shown in the console and DescribeTasks (stoppedReason); ECS truncates it at 255 characters.
  await callAws('StopTask', () =>
    ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, 255) })),
  );
}
