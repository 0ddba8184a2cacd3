/**
 * Does a container instance still hold tasks? The ECS agent reserves a task's CPU and memory when the task is placed
 * and releases them when it stops ("Amazon ECS container instance state change events": placing or stopping a task
 * "modifies the available resources on the container instance, such as CPU, memory, and available ports"; the agent
 * "releases the resources that were allocated to the stopped task"). So remainingResources below registeredResources
 * means a task in any state but STOPPED — including DEACTIVATING and STOPPING, which runningTasksCount and
 * pendingTasksCount do not count (API_ContainerInstance.html; aws-cdk issue #13506). Same shape in DescribeContainer-
 * Instances and in the container-instance event. Pure.
 */

/** The `Resource` shape of the ECS API and events (name, type, integerValue, …). */
export interface EcsResource {
  readonly name?: string;
  readonly integerValue?: number;
}

const TRACKED = ['CPU', 'MEMORY'];

/** true / false when both lists report CPU or MEMORY; undefined when they do not (nothing to compare). */
export function holdsResources(
  registered: readonly EcsResource[] | undefined,
  remaining: readonly EcsResource[] | undefined,
): boolean | undefined {
  if (registered === undefined || remaining === undefined) return undefined;
  let compared = false;
  for (const name of TRACKED) {
    const total = registered.find((resource) => resource.name === name)?.integerValue;
    const left = remaining.find((resource) => resource.name === name)?.integerValue;
    if (total === undefined || left === undefined) continue;
    compared = true;
    if (left < total) return true;
  }
  return compared ? false : undefined;
}
