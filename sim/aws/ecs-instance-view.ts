/**
 * What ECS reports about a container instance's tasks (API_ContainerInstance.html): runningTasksCount counts RUNNING
 * tasks, pendingTasksCount PENDING tasks; a task that is PROVISIONING, ACTIVATING, DEACTIVATING, STOPPING or
 * DEPROVISIONING is in neither (aws-cdk #13506), but holds its reserved CPU and memory until it is STOPPED, so
 * remainingResources only returns to registeredResources when every task there stopped.
 */
import { REGISTERED_RESOURCES, TASK_RESERVATION, type ContainerInstance } from './ecs-types';

export interface InstanceResources {
  readonly registered: Record<string, unknown>[];
  readonly remaining: Record<string, unknown>[];
}

/** runningTasksCount / pendingTasksCount: RUNNING and PENDING tasks only. */
export function taskCounts(ci: ContainerInstance): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const task of ci.tasks) {
    if (task.lastStatus === 'RUNNING') running++;
    else if (task.lastStatus === 'PENDING') pending++;
  }
  return { running, pending };
}

/** registeredResources / remainingResources: every task that is not STOPPED holds its reservation. */
export function instanceResources(ci: ContainerInstance): InstanceResources {
  let placed = 0;
  for (const task of ci.tasks) if (task.lastStatus !== 'STOPPED') placed++;
  const list = (cpu: number, memory: number) => [
    { name: 'CPU', type: 'INTEGER', integerValue: cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
  ];
  return {
    registered: list(REGISTERED_RESOURCES.cpu, REGISTERED_RESOURCES.memory),
    remaining: list(
      Math.max(0, REGISTERED_RESOURCES.cpu - placed * TASK_RESERVATION.cpu),
      Math.max(0, REGISTERED_RESOURCES.memory - placed * TASK_RESERVATION.memory),
    ),
  };
}
