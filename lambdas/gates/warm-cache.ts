/**
 * What one warm Lambda execution environment remembers between invocations of a gate. Only hints that save AWS calls:
 * every decision still reads fresh state, and a cold start (empty cache) is always correct, just a little dearer.
 *
 * - EC2 instance id → container-instance ARN. An instance keeps its registration for life, so a remembered ARN saves
 *   the ListContainerInstances lookup; DescribeContainerInstances still reads it fresh, and an ARN that turns out
 *   gone or INACTIVE is looked up again (the agent may have re-registered).
 * - When this environment last sent a lifecycle heartbeat per instance: lets a throttled check (whose container
 *   instance attributes could not be read) tell whether a heartbeat is due.
 * - The tasks of each drain (listed once, when the drain starts): ECS places nothing on a DRAINING instance
 *   ("Draining Amazon ECS container instances"), so later checks describe these ARNs instead of listing again. A cold
 *   environment lists only what its decision needs (drain-knowledge.ts); so does a check that finds the instance still
 *   occupied with every known task STOPPED twice in a row (a suspect once, then a surprise).
 * - When the services of a drain were last read here: an occupied instance's services are re-read only now and then.
 * - Instances a re-check found not waiting at a hook (InService, or already past the gate): ECS events about them
 *   (task placements on a busy instance) need no Auto Scaling call for `SETTLED_TTL_MS`.
 * - When a sweep here last listed an instance outside this gate's wait states: a wait the gate finds later began
 *   after that moment. A check without the lifecycle event's time (a sweep or an ECS event got there first) then
 *   knows the hook's heartbeat timer started no earlier than that, and needs no heartbeat at once.
 *
 * One cache per handler (`createGateHandler`), never module-global: the simulator runs many worlds in one process.
 */
import { TaskView } from './types';

/** Entries kept at most per map (oldest dropped first): bounds memory in a long-lived environment of a huge cluster. */
const MAX_ENTRIES = 20_000;
/** An instance seen settled is not re-checked on an ECS event for this long (a new hook action would be an event). */
const SETTLED_TTL_MS = 10 * 60 * 1000;

export class GateWarmCache {
  private readonly arns = new Map<string, string>();
  private readonly heartbeats = new Map<string, Date>();
  private readonly drainTasks = new Map<string, readonly string[]>();
  private readonly taskViews = new Map<string, TaskView>();
  private readonly settled = new Map<string, number>();
  private readonly servicesRead = new Map<string, Date>();
  private readonly suspects = new Set<string>();
  private readonly notWaiting = new Map<string, Date>();

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

  /** Task ARNs listed when the drain of this container instance began; undefined = not known here. */
  drainTaskArns(containerInstanceArn: string): readonly string[] | undefined {
    return this.drainTasks.get(containerInstanceArn);
  }

  rememberDrainTasks(containerInstanceArn: string, taskArns: readonly string[]): void {
    remember(this.drainTasks, containerInstanceArn, [...new Set(taskArns)]);
  }

  /** The last description of a task: a STOPPED task stays STOPPED, so it need not be described again. */
  lastSeen(taskArn: string): TaskView | undefined {
    return this.taskViews.get(taskArn);
  }

  rememberTask(task: TaskView): void {
    remember(this.taskViews, task.taskArn, task);
  }

  /** The drain ended (CONTINUE / NOOP): forget its tasks. */
  forgetDrain(containerInstanceArn: string): void {
    for (const arn of this.drainTasks.get(containerInstanceArn) ?? []) this.taskViews.delete(arn);
    this.drainTasks.delete(containerInstanceArn);
    this.servicesRead.delete(containerInstanceArn);
    this.suspects.delete(containerInstanceArn);
  }

  /** When this environment last read the services of the drain of this container instance. */
  servicesReadAt(containerInstanceArn: string): Date | undefined {
    return this.servicesRead.get(containerInstanceArn);
  }

  rememberServicesRead(containerInstanceArn: string, at: Date): void {
    remember(this.servicesRead, containerInstanceArn, at);
  }

  /** The previous check found the instance occupied with every known task STOPPED. */
  wasSuspect(containerInstanceArn: string): boolean {
    return this.suspects.has(containerInstanceArn);
  }

  markSuspect(containerInstanceArn: string, suspect: boolean): void {
    this.suspects.delete(containerInstanceArn);
    if (suspect && this.suspects.size < MAX_ENTRIES) this.suspects.add(containerInstanceArn);
  }

  /** The instance was found not waiting at this gate's hook (or its wait just ended). */
  rememberSettled(instanceId: string, now: Date): void {
    remember(this.settled, instanceId, now.getTime());
  }

  isSettled(instanceId: string, now: Date): boolean {
    const at = this.settled.get(instanceId);
    return at !== undefined && now.getTime() - at < SETTLED_TTL_MS;
  }

  /** A sweep's listing, made no later than `at`, showed these instances outside the gate's wait states. */
  rememberNotWaiting(instanceIds: readonly string[], at: Date): void {
    for (const id of instanceIds) remember(this.notWaiting, id, at);
  }

  /** The last time a listing here showed the instance not waiting at this gate; undefined = never seen so. */
  notWaitingAt(instanceId: string): Date | undefined {
    return this.notWaiting.get(instanceId);
  }

  /** A lifecycle event names the instance: it waits at a hook again, whatever was remembered. */
  forgetSettled(instanceId: string): void {
    this.settled.delete(instanceId);
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}
