/**
 * What one Lambda execution environment remembers between invocations of a gate. Only hints that save AWS calls:
 * every decision still reads fresh state, and a cold start (empty memory) is always correct, just a little dearer.
 *
 * - EC2 instance id → container-instance ARN. An instance keeps its registration for life, so a remembered ARN saves
 *   the ListContainerInstances lookup; DescribeContainerInstances still reads it fresh, and an ARN that turns out
 *   gone or INACTIVE is looked up again (the agent may have re-registered).
 * - When this environment last sent a lifecycle heartbeat per instance: lets a throttled check (whose container
 *   instance attributes could not be read) tell whether a heartbeat is due.
 * - The tasks of a DRAINING container instance that counted no task, all STOPPED: ECS places nothing on a DRAINING
 *   instance, so while it keeps counting 0 tasks they still name every service that ran there, and the re-checks that
 *   wait for those services to be stable only need DescribeServices (no ListTasks / DescribeTasks). Kept for
 *   `EMPTIED_TASKS_TTL_MS` only, which bounds the effect of an operator flipping the instance back to ACTIVE.
 *
 * One memory per handler (`createGateHandler`), never module-global: the simulator runs many worlds in one process.
 */

import { TaskView } from './types';

/** Entries kept at most (oldest dropped first): bounds memory in a long-lived environment of a huge cluster. */
const MAX_ENTRIES = 20_000;
const EMPTIED_TASKS_TTL_MS = 10 * 60 * 1000;

export class GateMemory {
  private readonly arns = new Map<string, string>();
  private readonly heartbeats = new Map<string, Date>();
  private readonly emptied = new Map<string, { tasks: readonly TaskView[]; at: number }>();

  /** Tasks listed on an emptied DRAINING instance (every one STOPPED) by this environment recently; else undefined. */
  emptiedTasks(containerInstanceArn: string, now: Date): readonly TaskView[] | undefined {
    const entry = this.emptied.get(containerInstanceArn);
    return entry && now.getTime() - entry.at < EMPTIED_TASKS_TTL_MS ? entry.tasks : undefined;
  }

  rememberEmptiedTasks(containerInstanceArn: string, tasks: readonly TaskView[], now: Date): void {
    if (tasks.some((task) => task.lastStatus !== 'STOPPED')) return;
    remember(this.emptied, containerInstanceArn, { tasks, at: now.getTime() });
  }

  /** Remembered ARNs of the given EC2 instance ids (hints from the trigger take precedence). */
  knownArns(instanceIds: readonly string[], hints: ReadonlyMap<string, string> = new Map()): Map<string, string> {
    const known = new Map<string, string>();
    for (const id of instanceIds) {
      const arn = hints.get(id) ?? this.arns.get(id);
      if (arn !== undefined) known.set(id, arn);
    }
    return known;
  }

  rememberArn(instanceId: string, containerInstanceArn: string): void {
    remember(this.arns, instanceId, containerInstanceArn);
  }

  heartbeatSentAt(instanceId: string): Date | undefined {
    return this.heartbeats.get(instanceId);
  }

  rememberHeartbeat(instanceId: string, at: Date): void {
    remember(this.heartbeats, instanceId, at);
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}
