/**
 * Drain gate decision: may a terminating instance leave Terminating:Wait? Pure: observed state + policy + clock →
 * decision and the side effects to perform (set DRAINING, stop standalone tasks, heartbeat). CONTINUE only once no
 * task runs there and every replica service that ran there is stable again — or when the maximum drain time is up.
 */
import {
  ContainerInstanceView,
  DrainState,
  GateDecision,
  ServiceView,
  TERMINATE_WAIT_STATE,
  TaskView,
  isHeartbeatDue,
  secondsBetween,
} from './types';

export interface DrainObservation {
  readonly instanceId: string;
  readonly lifecycleState?: string;
  /** undefined: this EC2 instance never registered (or its registration is already gone). */
  readonly containerInstance?: ContainerInstanceView;
  /**
   * Every task ListTasks returns for the instance, stopped ones included (they name the services that ran here).
   * undefined = not listed: `needsTaskDetail` said the container instance's task counts decide this check.
   */
  readonly tasks?: readonly TaskView[];
  /** DescribeServices result for the services named by `tasks`. Missing = deleted. */
  readonly services: readonly ServiceView[];
  readonly state: DrainState;
  /** Time of the terminate lifecycle event, when this check was triggered by it: the true start of the wait. */
  readonly lifecycleEventTime?: Date;
}

export interface DrainPolicy {
  readonly maxDrainSeconds: number;
  /** 0 = never stop standalone tasks (they are waited for until maxDrainSeconds). */
  readonly standaloneTaskGraceSeconds: number;
  readonly heartbeatTimeoutSeconds: number;
}

export type TaskKind = 'replica' | 'daemon' | 'standalone';

export interface ClassifiedTask {
  readonly taskArn: string;
  readonly kind: TaskKind;
  readonly service?: string;
  readonly desiredStatus: string;
}

export interface UnstableService {
  readonly name: string;
  readonly why: string;
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

export interface DrainDecision {
  readonly decision: GateDecision;
  readonly reason: string;
  /** CONTINUE because maxDrainSeconds ran out, not because the drain finished. */
  readonly forced: boolean;
  readonly heartbeat: boolean;
  /** UpdateContainerInstancesState → DRAINING (only when the instance is ACTIVE: idempotent). */
  readonly setDraining: boolean;
  readonly stopTaskArns: readonly string[];
  /** Start of the drain to persist when it was not recorded yet. */
  readonly recordDrainStartedAt?: Date;
  /**
   * Standalone tasks were checked (and `stopTaskArns` stopped) now: persist, so the check runs once per grace period.
   */
  readonly recordStandaloneCheckedAt?: Date;
  readonly elapsedSeconds?: number;
  readonly waitingOn: DrainWaitSummary;
}

const NOTHING: DrainWaitSummary = { replicaTasks: [], standaloneTasks: [], daemonTasks: [], unstableServices: [] };
const SERVICE_GROUP_PREFIX = 'service:';
const SERVICE_STARTED_BY_PREFIX = 'ecs-svc/';

/** Service name from a task group (`service:web` → `web`); undefined for standalone tasks. */
export function serviceNameOf(task: TaskView): string | undefined {
  return task.group?.startsWith(SERVICE_GROUP_PREFIX) ? task.group.slice(SERVICE_GROUP_PREFIX.length) : undefined;
}

/** Replica (moved by ECS on DRAINING), daemon (stopped by ECS last) or standalone (never moved by ECS). */
export function classifyTask(task: TaskView, servicesByName: ReadonlyMap<string, ServiceView>): ClassifiedTask {
  const service = serviceNameOf(task);
  const base = { taskArn: task.taskArn, desiredStatus: task.desiredStatus, service };
  if (service === undefined && !task.startedBy?.startsWith(SERVICE_STARTED_BY_PREFIX))
    return { ...base, kind: 'standalone' };
  const daemon = service !== undefined && servicesByName.get(service)?.schedulingStrategy === 'DAEMON';
  return { ...base, kind: daemon ? 'daemon' : 'replica' };
}

/** Why a service is not steady yet; undefined when stable (or deleted: nothing left to wait for). */
export function serviceInstability(service: ServiceView): string | undefined {
  if (service.status === 'INACTIVE') return undefined;
  if (service.runningCount !== service.desiredCount) return `running ${service.runningCount}/${service.desiredCount}`;
  if (service.deployments.length !== 1) return `${service.deployments.length} deployments in progress`;
  const [deployment] = service.deployments;
  if (deployment.status !== 'PRIMARY') return `only deployment is ${deployment.status}`;
  if (deployment.rolloutState !== undefined && deployment.rolloutState !== 'COMPLETED') {
    return `rollout ${deployment.rolloutState}`;
  }
  return undefined;
}

/** What `needsTaskDetail` looks at: everything DescribeContainerInstances and the trigger give, no task listing. */
export type DrainBasics = Pick<
  DrainObservation,
  'instanceId' | 'lifecycleState' | 'containerInstance' | 'state' | 'lifecycleEventTime'
>;

export interface TaskDetailNeed {
  /** List and describe the instance's tasks (and their services) before deciding. */
  readonly needed: boolean;
  readonly why: string;
}

/** Tasks on the instance by the container instance's own counts; undefined when ECS did not report them. */
export function countedTasks(ci: ContainerInstanceView | undefined): number | undefined {
  if (ci?.runningTasksCount === undefined || ci.pendingTasksCount === undefined) return undefined;
  return ci.runningTasksCount + ci.pendingTasksCount;
}

/** Start of the drain (recorded, else the lifecycle event time, else now) and the seconds since. */
function drainClock(observation: DrainBasics, now: Date): { startedAt: Date; elapsed: number } {
  const startedAt = observation.state.drainStartedAt ?? earliest(observation.lifecycleEventTime, now);
  return { startedAt, elapsed: Math.max(0, secondsBetween(startedAt, now)) };
}

/** Standalone tasks must be looked for: grace over, and not looked for during the last grace period. */
export function standaloneCheckDue(state: DrainState, policy: DrainPolicy, elapsedSeconds: number, now: Date): boolean {
  const grace = policy.standaloneTaskGraceSeconds;
  if (grace <= 0 || elapsedSeconds < grace) return false;
  return state.standaloneStoppedAt === undefined || secondsBetween(state.standaloneStoppedAt, now) >= grace;
}

/**
 * The cheap path: does this check need ListTasks / DescribeTasks / DescribeServices? A DRAINING instance that still
 * counts running or pending tasks must wait whatever those tasks are, so the answer is WAIT without them — unless
 * standalone tasks may need stopping (once per grace period) or the max drain time is up (the alert names what is
 * left). Only an instance that counts no task is listed: ECS keeps just-stopped tasks listed, and they name the
 * services whose stability the drain waits for. Pure.
 */
export function needsTaskDetail(observation: DrainBasics, policy: DrainPolicy, now: Date): TaskDetailNeed {
  const ci = observation.containerInstance;
  if (observation.lifecycleState !== TERMINATE_WAIT_STATE) return { needed: false, why: 'not waiting' };
  if (ci === undefined || ci.status === 'INACTIVE') return { needed: false, why: 'not registered' };
  const { elapsed } = drainClock(observation, now);
  if (elapsed >= policy.maxDrainSeconds) return { needed: true, why: 'max drain time reached: name what is left' };
  if (ci.status === 'ACTIVE') return { needed: false, why: 'set DRAINING first' };
  const counted = countedTasks(ci);
  if (counted === undefined) return { needed: true, why: 'task counts not reported' };
  if (counted === 0) return { needed: true, why: 'no task counted: check the services that ran here' };
  if (standaloneCheckDue(observation.state, policy, elapsed, now))
    return { needed: true, why: 'standalone task grace period over' };
  return { needed: false, why: `${counted} task(s) counted on the instance` };
}

/**
 * A check of a waiting instance was throttled: heartbeat anyway when due, so throttling only delays a decision and
 * never lets the hook time out. The last heartbeat is the later of the recorded one (undefined when the container
 * instance could not be read) and the one this Lambda environment remembers sending; unknown → due. Pure.
 */
export function heartbeatDueWhileThrottled(
  recorded: Date | undefined,
  remembered: Date | undefined,
  heartbeatTimeoutSeconds: number,
  now: Date,
): boolean {
  const last = recorded === undefined || (remembered !== undefined && remembered > recorded) ? remembered : recorded;
  return isHeartbeatDue(now, last, heartbeatTimeoutSeconds);
}

export function decideDrain(observation: DrainObservation, policy: DrainPolicy, now: Date): DrainDecision {
  const { instanceId, containerInstance: ci } = observation;
  const result = (decision: GateDecision, reason: string, extra: Partial<DrainDecision> = {}): DrainDecision => ({
    decision,
    reason,
    forced: false,
    heartbeat: false,
    setDraining: false,
    stopTaskArns: [],
    waitingOn: NOTHING,
    ...extra,
  });

  if (observation.lifecycleState !== TERMINATE_WAIT_STATE) {
    return result(
      'NOOP',
      `${instanceId} is ${observation.lifecycleState ?? 'not in the Auto Scaling group'}, not ${TERMINATE_WAIT_STATE}`,
    );
  }
  if (ci === undefined || ci.status === 'INACTIVE') {
    return result('CONTINUE', `${instanceId} never registered in the cluster (nothing to drain)`);
  }

  const recorded = observation.state.drainStartedAt;
  const { startedAt: drainStartedAt, elapsed } = drainClock(observation, now);
  const common: Partial<DrainDecision> = {
    elapsedSeconds: elapsed,
    recordDrainStartedAt: recorded ? undefined : drainStartedAt,
  };
  const heartbeat = isHeartbeatDue(now, observation.state.lastHeartbeatAt, policy.heartbeatTimeoutSeconds);

  if (observation.tasks === undefined) {
    // Cheap path (needsTaskDetail said no): tasks are counted on the instance, so it waits whatever they are. Without
    // a listing it never continues; a forced continue names the counts.
    const counts = { running: ci.runningTasksCount ?? 0, pending: ci.pendingTasksCount ?? 0 };
    const counted: DrainWaitSummary = { ...NOTHING, countedTasks: counts };
    if (elapsed >= policy.maxDrainSeconds) {
      return result(
        'CONTINUE',
        `drain forced after ${Math.floor(elapsed)} s (max ${policy.maxDrainSeconds} s): ${describeWait(counted)}`,
        {
          ...common,
          forced: true,
          waitingOn: counted,
        },
      );
    }
    const setDraining = ci.status === 'ACTIVE';
    const what = countedTasks(ci) === 0 ? 'tasks not listed yet' : describeWait(counted);
    const reason = setDraining ? `setting ${instanceId} to DRAINING: ${what}` : what;
    return result('WAIT', `${reason} (${Math.floor(elapsed)} s of ${policy.maxDrainSeconds} s)`, {
      ...common,
      setDraining,
      waitingOn: counted,
      heartbeat,
    });
  }
  const tasks = observation.tasks;

  const servicesByName = new Map(observation.services.map((service) => [service.name, service]));
  const active = tasks
    .filter((task) => task.lastStatus !== 'STOPPED')
    .map((task) => classifyTask(task, servicesByName));
  const waitingOn: DrainWaitSummary = {
    replicaTasks: active.filter((task) => task.kind === 'replica'),
    standaloneTasks: active.filter((task) => task.kind === 'standalone'),
    daemonTasks: active.filter((task) => task.kind === 'daemon'),
    unstableServices: unstableServicesThatRanHere(tasks, servicesByName),
  };

  if (elapsed >= policy.maxDrainSeconds) {
    return result(
      'CONTINUE',
      `drain forced after ${Math.floor(elapsed)} s (max ${policy.maxDrainSeconds} s): ${describeWait(waitingOn)}`,
      {
        ...common,
        forced: true,
        waitingOn,
      },
    );
  }

  const setDraining = ci.status === 'ACTIVE';
  const graceOver = policy.standaloneTaskGraceSeconds > 0 && elapsed >= policy.standaloneTaskGraceSeconds;
  const checkDue = standaloneCheckDue(observation.state, policy, elapsed, now);
  const stopTaskArns = graceOver
    ? waitingOn.standaloneTasks.filter((task) => task.desiredStatus !== 'STOPPED').map((task) => task.taskArn)
    : [];
  const waiting = setDraining || active.length > 0 || waitingOn.unstableServices.length > 0;
  if (!waiting) {
    return result('CONTINUE', `no task left on ${instanceId} and every service that ran there is stable`, {
      ...common,
      waitingOn,
    });
  }
  const reason = setDraining
    ? `setting ${instanceId} to DRAINING${active.length > 0 ? `: ${describeWait(waitingOn)}` : ''}`
    : describeWait(waitingOn);
  return result('WAIT', `${reason} (${Math.floor(elapsed)} s of ${policy.maxDrainSeconds} s)`, {
    ...common,
    setDraining,
    stopTaskArns,
    waitingOn,
    heartbeat,
    // Remember the standalone check, so the cheap path skips listing tasks until the next grace period.
    recordStandaloneCheckedAt: checkDue || stopTaskArns.length > 0 ? now : undefined,
  });
}

/**
 * Replica services that had tasks on this instance (running or already stopped) and are not steady yet. Daemon
 * services are left out: their tasks are never moved, their desired count just shrinks with the instance.
 */
function unstableServicesThatRanHere(
  tasks: readonly TaskView[],
  servicesByName: ReadonlyMap<string, ServiceView>,
): UnstableService[] {
  const names = new Set(tasks.map(serviceNameOf).filter((name): name is string => name !== undefined));
  const unstable: UnstableService[] = [];
  for (const name of [...names].sort()) {
    const service = servicesByName.get(name);
    if (service === undefined || service.schedulingStrategy === 'DAEMON') continue;
    const why = serviceInstability(service);
    if (why !== undefined) unstable.push({ name, why });
  }
  return unstable;
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
  return parts.length > 0 ? `waiting: ${parts.join('; ')}` : 'nothing left to wait for';
}

function earliest(candidate: Date | undefined, now: Date): Date {
  return candidate !== undefined && candidate.getTime() < now.getTime() ? candidate : now;
}
