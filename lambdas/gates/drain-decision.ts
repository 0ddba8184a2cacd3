/**
 * Drain gate decision: may an instance held by the terminate hook (Terminating:Wait, Warmed:Pending:Wait on scale-in,
 * ReplacingRootVolume:Wait) leave its wait? Pure: observed state + policy + clock → decision and the side effects to
 * perform (set DRAINING, stop standalone tasks, heartbeat, alert). CONTINUE only once no task holds resources on the
 * instance and every replica service that ran there is stable again. Never forced by default: a drain that cannot
 * finish (a service without headroom) or takes longer than maxDrainSeconds is held — heartbeating up to the hook's
 * global timeout — and reported at once, then every heldAlertIntervalSeconds. Only `forceDrainAfterSeconds`, an
 * explicit opt-in, continues with work still on the instance.
 */
import { ServiceHeadroom } from '../shared/service-headroom';
import {
  UnstableService,
  namesOf,
  serviceInstability,
  serviceNameOf,
  servicesHoldingTheDrain,
  unstableServicesThatRanHere,
} from './drain-services';
import {
  ContainerInstanceView,
  DRAIN_WAIT_STATES,
  DrainState,
  GateDecision,
  ServiceView,
  TaskView,
  WARMED_WAIT_STATE,
  isHeartbeatDue,
  secondsBetween,
} from './types';

export { serviceInstability, serviceNameOf };
export type { UnstableService };

export interface DrainObservation {
  readonly instanceId: string;
  readonly lifecycleState?: string;
  /** undefined: this EC2 instance never registered (or its registration is already gone). */
  readonly containerInstance?: ContainerInstanceView;
  /**
   * The tasks placed on the instance when its drain began (listed once per drain), with their current status.
   * undefined = not known in this check: the container instance's resources and counts decide alone.
   */
  readonly tasks?: readonly TaskView[];
  /**
   * DescribeServices result for the services named by `tasks` (a missing one was deleted). undefined = not read in this
   * check (the instance is still occupied, so nothing depends on them): no stability or headroom verdict.
   */
  readonly services?: readonly ServiceView[];
  readonly state: DrainState;
  /** Time of the terminate lifecycle event, when this check was triggered by it: the true start of the wait. */
  readonly lifecycleEventTime?: Date;
  /**
   * Without the event: a moment the wait had not begun yet (a sweep listed the instance outside the drain wait states
   * then). The wait, and the hook's heartbeat timer, started later (waitStartOf).
   */
  readonly waitStartedAfter?: Date;
}

export interface DrainPolicy {
  /** A drain still waiting after this long is reported (and held, unless forceDrainAfterSeconds says otherwise). */
  readonly maxDrainSeconds: number;
  /** 0 = never stop standalone tasks (they are waited for). */
  readonly standaloneTaskGraceSeconds: number;
  readonly heartbeatTimeoutSeconds: number;
  /** A held drain is reported again after this long. */
  readonly heldAlertIntervalSeconds: number;
  /** Opt-in: continue with work still on the instance after this long. undefined = never. */
  readonly forceDrainAfterSeconds?: number;
}

export type TaskKind = 'replica' | 'daemon' | 'standalone';

export interface ClassifiedTask {
  readonly taskArn: string;
  readonly kind: TaskKind;
  readonly service?: string;
  readonly desiredStatus: string;
}

/** What still holds the instance; the operator CLI prints this. */
export interface DrainWaitSummary {
  readonly replicaTasks: readonly ClassifiedTask[];
  readonly standaloneTasks: readonly ClassifiedTask[];
  readonly daemonTasks: readonly ClassifiedTask[];
  readonly unstableServices: readonly UnstableService[];
  /** Tasks not listed (cheap check): the container instance's running / pending task counts. */
  readonly countedTasks?: { readonly running: number; readonly pending: number };
}

export type DrainAlertKind = 'drain.held' | 'drain.forced' | 'drain.warm-pool';

export interface DrainAlert {
  readonly kind: DrainAlertKind;
  readonly reason: string;
}

export interface DrainDecision {
  readonly decision: GateDecision;
  readonly reason: string;
  /** CONTINUE because forceDrainAfterSeconds ran out, not because the drain finished. */
  readonly forced: boolean;
  readonly heartbeat: boolean;
  /** UpdateContainerInstancesState → DRAINING (only when the instance is ACTIVE: idempotent). */
  readonly setDraining: boolean;
  readonly stopTaskArns: readonly string[];
  /** Start of the drain to persist when it was not recorded yet. */
  readonly recordDrainStartedAt?: Date;
  /** The services that ran on the instance, to persist when they were not recorded yet (drain-state.ts). */
  readonly recordServices?: readonly string[];
  /** An alert about the held drain goes out now: persist when, so the next one waits heldAlertIntervalSeconds. */
  readonly recordHeldAlertAt?: Date;
  readonly elapsedSeconds?: number;
  readonly waitingOn: DrainWaitSummary;
  /** Services with a task on the instance that ECS cannot move, with their numbers and the fix. */
  readonly held: readonly ServiceHeadroom[];
  /** Page operators. */
  readonly alert?: DrainAlert;
}

/** A held drain is reported again after this long (the default of DrainPolicy.heldAlertIntervalSeconds). */
export const HELD_ALERT_INTERVAL_SECONDS = 3600;

const NOTHING: DrainWaitSummary = { replicaTasks: [], standaloneTasks: [], daemonTasks: [], unstableServices: [] };
const SERVICE_STARTED_BY_PREFIX = 'ecs-svc/';

/** Replica (moved by ECS on DRAINING), daemon (stopped by ECS last) or standalone (never moved by ECS). */
export function classifyTask(task: TaskView, servicesByName: ReadonlyMap<string, ServiceView>): ClassifiedTask {
  const service = serviceNameOf(task);
  const base = { taskArn: task.taskArn, desiredStatus: task.desiredStatus, service };
  if (service === undefined && !task.startedBy?.startsWith(SERVICE_STARTED_BY_PREFIX))
    return { ...base, kind: 'standalone' };
  const daemon = service !== undefined && servicesByName.get(service)?.schedulingStrategy === 'DAEMON';
  return { ...base, kind: daemon ? 'daemon' : 'replica' };
}

/** Tasks on the instance by the container instance's own counts (RUNNING + PENDING only); undefined if unreported. */
export function countedTasks(ci: ContainerInstanceView | undefined): number | undefined {
  if (ci?.runningTasksCount === undefined || ci.pendingTasksCount === undefined) return undefined;
  return ci.runningTasksCount + ci.pendingTasksCount;
}

/**
 * Does any task still sit on the instance? The resources answer for every task state; without them the counts (which
 * miss stopping tasks) and the known tasks that are not STOPPED decide.
 */
export function instanceOccupied(ci: ContainerInstanceView, tasks: readonly TaskView[] | undefined): boolean {
  if (ci.holdsResources !== undefined) return ci.holdsResources;
  const known = (tasks ?? []).some((task) => task.lastStatus !== 'STOPPED');
  return known || (countedTasks(ci) ?? 0) > 0;
}

/** Start of the drain (recorded, else the lifecycle event time, else now) and the seconds since. */
function drainClock(observation: DrainObservation, now: Date): { startedAt: Date; elapsed: number } {
  const event = observation.lifecycleEventTime;
  const startedAt =
    observation.state.drainStartedAt ?? (event !== undefined && event.getTime() < now.getTime() ? event : now);
  return { startedAt, elapsed: Math.max(0, secondsBetween(startedAt, now)) };
}

/**
 * A moment at or before the start of the hook's heartbeat timer, for a check that has no record of the drain: the
 * lifecycle event's time, else the sweep's bound (`waitStartedAfter`) while it is at most a quarter of the heartbeat
 * timeout old. The drain start this first check records is `now` (standalone-task grace and alerts count from the
 * drain), so the next check times its heartbeat from up to that quarter after the true start, and the heartbeat due
 * half a timeout later still comes a quarter of the timeout before the hook would expire. An older bound (an
 * environment whose last sweep is long past) counts as unknown: heartbeat at once.
 */
export function waitStartOf(
  observation: Pick<DrainObservation, 'lifecycleEventTime' | 'waitStartedAfter'>,
  heartbeatTimeoutSeconds: number,
  now: Date,
): Date | undefined {
  const bound = observation.waitStartedAfter;
  const recent = bound !== undefined && secondsBetween(bound, now) <= heartbeatTimeoutSeconds / 4;
  return observation.lifecycleEventTime ?? (recent ? bound : undefined);
}

/**
 * When the hook's heartbeat timer last started, or a moment before: the last heartbeat, else the recorded drain start,
 * else `waitStart` — the lifecycle event's time, or a moment before which the wait had not begun (waitStartOf). A
 * drain start is recorded without a heartbeat only when it came from one of those; a first check that knows neither
 * heartbeats at once and records both. undefined → due now.
 */
export function heartbeatTimerStart(state: DrainState, waitStart: Date | undefined): Date | undefined {
  return state.lastHeartbeatAt ?? state.drainStartedAt ?? waitStart;
}

/**
 * A check of a waiting instance was throttled: heartbeat anyway when due, so throttling only delays a decision and
 * never lets the hook time out. The timer started at the later of the recorded heartbeat (the recorded state is
 * undefined when the container instance could not be read) and the one this Lambda environment remembers sending,
 * else at the start of the wait or a moment before it, when known (heartbeatTimerStart); unknown → due. Pure.
 */
export function heartbeatDueWhileThrottled(
  recorded: DrainState | undefined,
  remembered: Date | undefined,
  waitStart: Date | undefined,
  heartbeatTimeoutSeconds: number,
  now: Date,
): boolean {
  const last = recorded?.lastHeartbeatAt;
  const latest = last === undefined || (remembered !== undefined && remembered > last) ? remembered : last;
  const since = heartbeatTimerStart({ ...recorded, lastHeartbeatAt: latest }, waitStart);
  return isHeartbeatDue(now, since, heartbeatTimeoutSeconds);
}

export function decideDrain(observation: DrainObservation, policy: DrainPolicy, now: Date): DrainDecision {
  const { instanceId, containerInstance: ci, lifecycleState } = observation;
  const result = (decision: GateDecision, reason: string, extra: Partial<DrainDecision> = {}): DrainDecision => ({
    decision,
    reason,
    forced: false,
    heartbeat: false,
    setDraining: false,
    stopTaskArns: [],
    waitingOn: NOTHING,
    held: [],
    ...extra,
  });

  if (lifecycleState === undefined || !DRAIN_WAIT_STATES.has(lifecycleState)) {
    return result(
      'NOOP',
      `${instanceId} is ${lifecycleState ?? 'not in the Auto Scaling group'}, not held for a drain`,
    );
  }
  if (ci === undefined || ci.status === 'INACTIVE') {
    return result('CONTINUE', `${instanceId} is not registered in the cluster (nothing to drain)`);
  }

  const { startedAt, elapsed } = drainClock(observation, now);
  const firstCheck = observation.state.drainStartedAt === undefined;
  const tasks = observation.tasks;
  const common: Partial<DrainDecision> = {
    elapsedSeconds: elapsed,
    recordDrainStartedAt: firstCheck ? startedAt : undefined,
    // Recorded when the drain starts (tasks listed before DRAINING); a later listing would miss those already gone.
    recordServices:
      (firstCheck || ci.status === 'ACTIVE') && observation.state.services === undefined && tasks !== undefined
        ? namesOf(tasks)
        : undefined,
  };
  const servicesRead = observation.services !== undefined;
  const servicesByName = new Map((observation.services ?? []).map((service) => [service.name, service]));
  const active = (tasks ?? []).filter((task) => task.lastStatus !== 'STOPPED');
  const classified = active.map((task) => classifyTask(task, servicesByName));
  const counts = { running: ci.runningTasksCount ?? 0, pending: ci.pendingTasksCount ?? 0 };
  const waitingOn: DrainWaitSummary = {
    replicaTasks: classified.filter((task) => task.kind === 'replica'),
    standaloneTasks: classified.filter((task) => task.kind === 'standalone'),
    daemonTasks: classified.filter((task) => task.kind === 'daemon'),
    unstableServices: servicesRead
      ? unstableServicesThatRanHere([...namesOf(tasks ?? []), ...(observation.state.services ?? [])], servicesByName)
      : [],
    ...(tasks === undefined ? { countedTasks: counts } : {}),
  };
  const held = servicesHoldingTheDrain(
    active.filter((task) => task.desiredStatus === 'RUNNING'),
    servicesByName,
  );
  const occupied = instanceOccupied(ci, tasks);
  const clock = `(${Math.floor(elapsed)} s; report after ${policy.maxDrainSeconds} s)`;

  const force = policy.forceDrainAfterSeconds;
  if (force !== undefined && elapsed >= force && (occupied || waitingOn.unstableServices.length > 0)) {
    const reason =
      `drain forced after ${Math.floor(elapsed)} s (forceDrainAfterSeconds ${force}): ` + describeWait(waitingOn);
    return result('CONTINUE', reason, {
      ...common,
      forced: true,
      waitingOn,
      held,
      alert: { kind: 'drain.forced', reason },
    });
  }
  if (!occupied && ci.status !== 'ACTIVE' && servicesRead && waitingOn.unstableServices.length === 0) {
    return result('CONTINUE', `no task left on ${instanceId} and every service that ran there is stable`, {
      ...common,
      waitingOn,
    });
  }

  const setDraining = ci.status === 'ACTIVE';
  const graceOver = policy.standaloneTaskGraceSeconds > 0 && elapsed >= policy.standaloneTaskGraceSeconds;
  const stopTaskArns = graceOver
    ? waitingOn.standaloneTasks.filter((task) => task.desiredStatus !== 'STOPPED').map((task) => task.taskArn)
    : [];
  const wait =
    occupied || servicesRead ? describeWait(waitingOn) : 'no task left; the services that ran there not read yet';
  const what = setDraining ? `setting ${instanceId} to DRAINING; ${wait}` : wait;
  const heldText = held.map((service) => `${service.reason}; fix: ${service.fix?.text ?? ''}`).join(' | ');
  const reason = held.length > 0 ? `held: ${heldText} ${clock}` : `${what} ${clock}`;
  const alert = heldAlert(observation, policy, elapsed, held, reason, lifecycleState, now);
  return result('WAIT', reason, {
    ...common,
    setDraining,
    stopTaskArns,
    waitingOn,
    held,
    heartbeat: isHeartbeatDue(
      now,
      heartbeatTimerStart(observation.state, waitStartOf(observation, policy.heartbeatTimeoutSeconds, now)),
      policy.heartbeatTimeoutSeconds,
    ),
    ...(alert === undefined ? {} : { alert, recordHeldAlertAt: now }),
  });
}

/**
 * The alert of a waiting drain, when one is due: at once for a service without headroom or an instance going back to
 * a warm pool (unsupported), once maxDrainSeconds has passed for a slow drain; then every heldAlertIntervalSeconds.
 */
function heldAlert(
  observation: DrainObservation,
  policy: DrainPolicy,
  elapsed: number,
  held: readonly ServiceHeadroom[],
  reason: string,
  lifecycleState: string,
  now: Date,
): DrainAlert | undefined {
  const last = observation.state.heldAlertedAt;
  const due = last === undefined || secondsBetween(last, now) >= policy.heldAlertIntervalSeconds;
  if (!due) return undefined;
  if (held.length > 0 || elapsed >= policy.maxDrainSeconds) return { kind: 'drain.held', reason };
  if (lifecycleState === WARMED_WAIT_STATE) {
    return {
      kind: 'drain.warm-pool',
      reason:
        `${observation.instanceId} returns to a warm pool, which ecs-ami-rollout does not support: it is drained ` +
        'first; delete the warm pool',
    };
  }
  return undefined;
}

/** Human summary, most important first: replica tasks, then standalone, then daemon tasks, then services. */
export function describeWait(wait: DrainWaitSummary): string {
  const parts: string[] = [];
  if (wait.replicaTasks.length > 0) parts.push(`${wait.replicaTasks.length} service task(s) still running`);
  if (wait.standaloneTasks.length > 0) parts.push(`${wait.standaloneTasks.length} standalone task(s) still running`);
  if (wait.daemonTasks.length > 0) {
    parts.push(
      wait.replicaTasks.length > 0
        ? `${wait.daemonTasks.length} daemon task(s) (ECS stops them after the service tasks)`
        : `${wait.daemonTasks.length} daemon task(s) stopping`,
    );
  }
  for (const service of wait.unstableServices) parts.push(`service ${service.name} not stable (${service.why})`);
  if (wait.countedTasks !== undefined && wait.countedTasks.running + wait.countedTasks.pending > 0) {
    const { running, pending } = wait.countedTasks;
    parts.push(
      `${running + pending} task(s) still on the instance (${running} running, ${pending} pending; not listed)`,
    );
  }
  return parts.length > 0 ? `waiting: ${parts.join('; ')}` : 'waiting for the tasks on the instance to stop';
}
