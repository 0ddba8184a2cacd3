/**
 * The ECS service scheduler, as documented in
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html (deploymentConfiguration):
 * - replica services keep `desiredCount` tasks on ACTIVE instances; tasks on DRAINING instances are replaced, at most
 *   maximumPercent × desiredCount tasks exist at once, and a healthy task on a DRAINING instance is stopped only while
 *   at least minimumHealthyPercent × desiredCount healthy tasks remain (100 % ⇒ replacement first, then stop);
 * - PENDING service tasks on a DRAINING instance are stopped at once;
 * - daemon services run one task on every ACTIVE instance; on a DRAINING instance the daemon task is stopped after
 *   every other task there has stopped;
 * - placement needs an ACTIVE instance with its agent connected and a free slot (spread: least loaded first); when
 *   nothing fits the service logs "unable to place a task" and retries on its periodic reconcile.
 */
import type { ContainerInstance, EcsContext, ScheduledCluster, Service, Task } from './ecs-types';

export class EcsScheduler {
  /** Services whose last reconcile left work undone (unplaced tasks, tasks still to move): retried periodically. */
  private readonly needy = new Set<Service>();

  constructor(
    private readonly world: EcsContext,
    private readonly ecs: ScheduledCluster,
  ) {
    world.sim.every(world.timings.ecsSchedulerPeriodSeconds, world.timings.ecsSchedulerPeriodSeconds, () => {
      for (const service of this.needy) this.requestReconcile(service);
    });
  }

  daemonDesired(): number {
    let count = 0;
    for (const ci of this.ecs.instances.values()) if (ci.status === 'ACTIVE') count++;
    return count;
  }

  reconcileAll(): void {
    for (const service of this.ecs.services.values()) this.requestReconcile(service);
  }

  /** The scheduler reacts to changes after a short delay; requests coalesce. */
  requestReconcile(service: Service): void {
    if (service.reconcileScheduled) return;
    service.reconcileScheduled = true;
    const r = this.world.timings.ecsSchedulerReaction;
    this.world.sim.after(this.world.rng.ecs.lognormal(r.median, r.sigma, r.min, r.max), () => {
      service.reconcileScheduled = false;
      const needsMore = service.strategy === 'REPLICA' ? this.reconcileReplica(service) : this.reconcileDaemon(service);
      if (needsMore) this.needy.add(service);
      else this.needy.delete(service);
    });
  }

  onDraining(ci: ContainerInstance): void {
    for (const task of ci.tasks) if (task.service) this.requestReconcile(task.service);
    this.stopDaemonsIfAlone(ci);
  }

  onTaskGone(task: Task): void {
    if (task.ci.status === 'DRAINING') this.stopDaemonsIfAlone(task.ci);
  }

  private stopDaemonsIfAlone(ci: ContainerInstance): void {
    if (ci.status !== 'DRAINING') return;
    const others = [...ci.tasks].some((task) => task.kind !== 'daemon' && task.lastStatus !== 'STOPPED');
    if (others) return;
    for (const task of ci.tasks) {
      if (task.kind === 'daemon' && task.desiredStatus === 'RUNNING') {
        this.ecs.stopTask(
          task,
          'ServiceSchedulerInitiated',
          'Container instance is draining: daemon task stopped last',
        );
      }
    }
  }

  placeDaemons(ci: ContainerInstance): void {
    for (const service of this.ecs.services.values()) {
      if (service.strategy === 'DAEMON') this.requestReconcile(service);
    }
    void ci;
  }

  private placeable(ci: ContainerInstance): boolean {
    return ci.status === 'ACTIVE' && ci.agentConnected && this.world.ec2.isRunning(ci.ec2InstanceId);
  }

  private usedSlots(ci: ContainerInstance): number {
    let used = 0;
    for (const task of ci.tasks) if (task.kind !== 'daemon' && task.lastStatus !== 'STOPPED') used++;
    return used;
  }

  /** Least-loaded placeable instance with a free slot (ties: oldest registration), or undefined. */
  private choose(): ContainerInstance | undefined {
    let best: ContainerInstance | undefined;
    let bestFree = 0;
    const slots = this.world.timings.slotsPerInstance;
    for (const ci of this.ecs.instances.values()) {
      if (!this.placeable(ci)) continue;
      const free = slots - this.usedSlots(ci);
      if (free > bestFree) {
        best = ci;
        bestFree = free;
      }
    }
    return best;
  }

  /** Returns true while the service still has work the scheduler could not do yet. */
  private reconcileReplica(service: Service): boolean {
    const now = this.world.sim.now;
    const live = [...service.tasks].filter((task) => task.desiredStatus === 'RUNNING');
    const moving: Task[] = [];
    const staying: Task[] = [];
    for (const task of live) (task.ci.status === 'ACTIVE' ? staying : moving).push(task);

    for (const task of moving) {
      if (task.lastStatus !== 'RUNNING') {
        this.ecs.stopTask(task, 'ServiceSchedulerInitiated', 'Task stopped because its container instance is draining');
      }
    }
    const desired = service.desiredCount;
    const maxTotal = Math.floor((desired * service.maximumPercent) / 100);
    let liveCount = [...service.tasks].filter((task) => task.desiredStatus === 'RUNNING').length;
    let toStart = Math.min(desired - staying.length, maxTotal - liveCount);
    const blocked = toStart > 0 && now < service.placementBlockedUntil;
    if (blocked) {
      this.event(service, `(service ${service.name}) was unable to place a task. Reason: CannotPullContainerError.`);
      toStart = 0;
    }
    let unplaced = 0;
    for (let i = 0; i < toStart; i++) {
      const ci = this.choose();
      if (!ci) {
        unplaced = toStart - i;
        break;
      }
      this.ecs.startTask(ci, 'replica', service);
      liveCount++;
    }
    if (unplaced > 0) {
      this.event(
        service,
        `(service ${service.name}) was unable to place a task ` +
          `because no container instance met all of its requirements.`,
      );
    }

    // Stop tasks on draining instances only while enough healthy tasks remain (minimumHealthyPercent).
    const minHealthy = Math.ceil((desired * service.minimumHealthyPercent) / 100);
    let healthy = live.filter((task) => task.healthy && task.desiredStatus === 'RUNNING').length;
    for (const task of moving) {
      if (task.desiredStatus !== 'RUNNING') continue;
      if (!task.healthy) {
        this.ecs.stopTask(task, 'ServiceSchedulerInitiated', 'Task stopped because its container instance is draining');
      } else if (healthy - 1 >= minHealthy) {
        healthy--;
        this.ecs.stopTask(task, 'ServiceSchedulerInitiated', 'Task stopped because its container instance is draining');
      }
    }
    // Scale in surplus tasks (after a drain overshoot) — newest first, never below desired.
    const surplus = staying.filter((task) => task.desiredStatus === 'RUNNING').length - desired;
    if (surplus > 0 && moving.every((task) => task.desiredStatus === 'STOPPED')) {
      const extra = staying.sort((a, b) => b.createdAt - a.createdAt).slice(0, surplus);
      for (const task of extra) this.ecs.stopTask(task, 'ServiceSchedulerInitiated', 'Service scaled in');
    }
    return blocked || unplaced > 0 || moving.some((task) => task.desiredStatus === 'RUNNING');
  }

  private reconcileDaemon(service: Service): boolean {
    const onInstance = new Set<ContainerInstance>();
    for (const task of service.tasks) if (task.desiredStatus === 'RUNNING') onInstance.add(task.ci);
    for (const ci of this.ecs.instances.values()) {
      if (!onInstance.has(ci) && this.placeable(ci)) this.ecs.startTask(ci, 'daemon', service);
    }
    for (const ci of onInstance) this.stopDaemonsIfAlone(ci);
    return false;
  }

  private event(service: Service, message: string): void {
    const last = service.events[0];
    if (last?.message === message && this.world.sim.now - last.createdAt < 300) return;
    service.events.unshift({ id: `${service.name}-${this.world.sim.now}`, createdAt: this.world.sim.now, message });
    service.events = service.events.slice(0, 100);
    service.wasStable = false;
  }
}
