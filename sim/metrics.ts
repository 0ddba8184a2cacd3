/**
 * What a run measures: healthy capacity over time, service tasks stopped without a drain, lifecycle-hook latency
 * (condition holds → CompleteLifecycleAction), Lambda invocations and GB-seconds, API calls and throttling, and the
 * errors the handlers let escape.
 */
import type { ContainerInstance, Task } from './aws/ecs-types';
import type { EcsCluster } from './aws/ecs';
import type { LifecycleAction } from './aws/autoscaling-types';
import type { InstanceRefresh } from './aws/instance-refresh';
import { isSimThrottling } from './aws/errors';

export interface HookRecord {
  readonly transition: string;
  readonly instanceId: string;
  readonly result: string;
  readonly by: 'api' | 'timeout';
  readonly latencySeconds?: number;
  readonly waitSeconds: number;
  /** Virtual times of the action: started (wait entered), gate condition first held, completed. */
  readonly startedAt: number;
  readonly conditionMetAt?: number;
  readonly completedAt: number;
}

export interface LambdaErrorRecord {
  readonly fn: string;
  readonly at: number;
  readonly message: string;
}

export class Metrics {
  baseline = 1;
  healthy = 0;
  lowestHealthyPct = Number.POSITIVE_INFINITY;
  measuring = false;
  readonly timeline: { t: number; pct: number }[] = [];
  undrainedServiceTaskStops = 0;
  undrainedDaemonTaskStops = 0;
  readonly undrainedDetails: string[] = [];
  readonly hooks: HookRecord[] = [];
  hookHeartbeatTimeouts = 0;
  hooksHitGlobalTimeout = 0;
  forcedDrains = 0;
  /** Drains a gate held with an alert (a service without headroom, or a drain slower than maxDrainSeconds). */
  drainsHeld = 0;
  /** Rollouts refused before any termination (a service cannot be drained), with the reason operators were told. */
  readonly refusedRollouts: string[] = [];
  /** SQS messages moved to a dead-letter queue after maxReceiveCount receives (events a gate never processed). */
  sqsMessagesDeadLettered = 0;
  lambdaInvocations = 0;
  lambdaGbSeconds = 0;
  lambdaTimeouts = 0;
  lambdaCrashes = 0;
  lambdaRetryLater = 0;
  lambdaConcurrencyThrottles = 0;
  /** Asynchronous events discarded after MaximumEventAgeInSeconds (they go to the function's DLQ). */
  lambdaEventsExpired = 0;
  /** EventBridge deliveries that failed and were retried, and events dropped after the target's retry policy. */
  eventDeliveryRetries = 0;
  eventsDroppedAfterRetries = 0;
  readonly unhandledErrors: LambdaErrorRecord[] = [];
  readonly apiCalls = new Map<string, number>();
  ecsApiCalls = 0;
  throttledCalls = 0;
  readonly unsupported = new Set<string>();
  refreshOutcome?: string;

  /** `sim`: the virtual clock (sim/world.ts's World passes itself). */
  constructor(private readonly world: { readonly sim: { readonly now: number } }) {}

  startMeasuring(baseline: number): void {
    this.baseline = baseline;
    this.measuring = true;
    this.sample();
  }

  refreshHealthy(ci: ContainerInstance): void {
    const now = ci.status === 'ACTIVE' && ci.agentConnected;
    if (now === ci.countedHealthy) return;
    ci.countedHealthy = now;
    this.healthy += now ? 1 : -1;
    this.sample();
  }

  private sample(): void {
    if (!this.measuring) return;
    const pct = (100 * this.healthy) / this.baseline;
    this.lowestHealthyPct = Math.min(this.lowestHealthyPct, pct);
    const t = this.world.sim.now;
    const last = this.timeline[this.timeline.length - 1];
    if (last && last.t === t) this.timeline[this.timeline.length - 1] = { t, pct };
    else this.timeline.push({ t, pct });
  }

  asgChanged(): void {}

  taskStopped(task: Task, cut: boolean): void {
    if (!cut) return;
    if (task.kind === 'replica') {
      this.undrainedServiceTaskStops++;
      if (this.undrainedDetails.length < 20)
        this.undrainedDetails.push(
          `${task.arn} (${task.group}) cut by host termination at t=${this.world.sim.now.toFixed(1)}`,
        );
    } else if (task.kind === 'daemon') this.undrainedDaemonTaskStops++;
  }

  /** StopTask on a replica task while its service lacks a healthy replacement is a stop without drain. */
  stopTaskCalled(task: Task, ecs: EcsCluster): void {
    if (task.kind !== 'replica' || !task.service || task.desiredStatus === 'STOPPED') return;
    let healthyOthers = 0;
    for (const other of task.service.tasks)
      if (other !== task && other.healthy && other.desiredStatus === 'RUNNING') healthyOthers++;
    if (healthyOthers < ecs.serviceCounts(task.service).desired) {
      this.undrainedServiceTaskStops++;
      this.undrainedDetails.push(`${task.arn} stopped by StopTask with ${healthyOthers} healthy replacements`);
    }
  }

  hookTimedOut(_action: LifecycleAction, global: boolean): void {
    this.hookHeartbeatTimeouts++;
    if (global) this.hooksHitGlobalTimeout++;
  }

  hookCompleted(action: LifecycleAction, result: string, by: 'api' | 'timeout', now: number): void {
    this.hooks.push({
      transition: action.hook.transition,
      instanceId: action.instanceId,
      result,
      by,
      latencySeconds: action.conditionMetAt === undefined ? undefined : now - action.conditionMetAt,
      waitSeconds: now - action.startedAt,
      startedAt: action.startedAt,
      conditionMetAt: action.conditionMetAt,
      completedAt: now,
    });
  }

  refreshEnded(refresh: InstanceRefresh): void {
    this.refreshOutcome = refresh.status;
  }

  lambdaInvocation(fn: string, seconds: number, memoryMb: number, outcome: string, error?: unknown): void {
    this.lambdaInvocations++;
    this.lambdaGbSeconds += (Math.ceil(seconds * 1000) / 1000) * (memoryMb / 1024);
    if (outcome === 'timeout') this.lambdaTimeouts++;
    else if (outcome === 'crash') this.lambdaCrashes++;
    else if (outcome === 'error') {
      const name = (error as { name?: string } | undefined)?.name;
      if (name === 'RetryLaterError' || isSimThrottling(error)) this.lambdaRetryLater++;
      else {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.unhandledErrors.push({ fn, at: this.world.sim.now, message });
      }
    }
  }

  sqsDeadLettered(queue: string): void {
    void queue;
    this.sqsMessagesDeadLettered++;
  }

  lambdaThrottled(fn: string): void {
    void fn;
    this.lambdaConcurrencyThrottles++;
  }

  lambdaEventExpired(fn: string): void {
    void fn;
    this.lambdaEventsExpired++;
  }

  eventDeliveryRetried(rule: string): void {
    void rule;
    this.eventDeliveryRetries++;
  }

  eventDropped(rule: string): void {
    void rule;
    this.eventsDroppedAfterRetries++;
  }

  apiCall(service: string, operation: string, source: string): void {
    const key = `${service}.${operation}`;
    this.apiCalls.set(key, (this.apiCalls.get(key) ?? 0) + 1);
    if (service === 'ECS') this.ecsApiCalls++;
    void source;
  }

  throttled(service: string, operation: string, source: string): void {
    void service;
    void operation;
    void source;
    this.throttledCalls++;
  }

  unsupportedCommand(name: string): void {
    this.unsupported.add(name);
  }

  /**
   * Hook latencies (seconds): actions completed through the API after their condition held, and actions that ran
   * into their heartbeat timeout — measured from the condition if it ever held, else from the start of the action
   * (what the instance waited). Actions completed through the API before their condition held are left out (their
   * cost shows up as undrained stops, not as latency). `hooksTimedOut` counts the timed-out ones.
   */
  hookLatencies(): number[] {
    return this.hooks
      .filter((h) => h.by === 'timeout' || h.latencySeconds !== undefined)
      .map((h) => (h.by === 'timeout' ? (h.latencySeconds ?? h.waitSeconds) : (h.latencySeconds as number)));
  }

  /** Lifecycle actions that ended by their heartbeat timeout (DefaultResult), not by the API. */
  get hooksTimedOut(): number {
    return this.hooks.filter((h) => h.by === 'timeout').length;
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}
