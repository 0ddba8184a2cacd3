/**
 * Tracks, for every waiting lifecycle action, the first moment its gate condition holds — the reference point of
 * "hook latency". Launch: the container instance is ACTIVE with its agent connected. Terminate: the container
 * instance is DRAINING (or never registered / gone), no task on it is still running or stopping, and every replica
 * service that had a task there is stable again.
 */
import type { AutoScalingGroup } from './aws/autoscaling';
import { LAUNCHING, type LifecycleAction } from './aws/autoscaling-types';
import type { ContainerInstance, Service } from './aws/ecs-types';

/** What the watchers read (sim/world.ts's World satisfies it): the clock, the ECS cluster, the agent faults. */
export interface WatchersContext {
  readonly sim: { readonly now: number };
  readonly faults: { onDraining(ec2InstanceId: string): void };
  readonly ecs: { readonly byEc2Id: ReadonlyMap<string, ContainerInstance>; isStable(service: Service): boolean };
}

export class Watchers {
  private readonly actions = new Map<string, LifecycleAction>();
  private readonly waitingOnServices = new Set<LifecycleAction>();
  /** EC2 instance id → when its container instance was first seen DRAINING. */
  readonly drainingSince = new Map<string, number>();

  constructor(private readonly world: WatchersContext) {}

  actionStarted(group: AutoScalingGroup, action: LifecycleAction): void {
    void group;
    this.actions.set(action.instanceId, action);
    this.evaluate(action);
  }

  instanceChanged(ci: ContainerInstance): void {
    if (ci.status === 'DRAINING' && !this.drainingSince.has(ci.ec2InstanceId)) {
      this.drainingSince.set(ci.ec2InstanceId, this.world.sim.now);
      this.world.faults.onDraining(ci.ec2InstanceId);
    }
    const action = this.actions.get(ci.ec2InstanceId);
    if (action) this.evaluate(action);
  }

  serviceChanged(service: Service): void {
    void service;
    for (const action of this.waitingOnServices) this.evaluate(action);
  }

  private evaluate(action: LifecycleAction): void {
    if (action.done) {
      this.actions.delete(action.instanceId);
      this.waitingOnServices.delete(action);
      return;
    }
    if (action.conditionMetAt !== undefined) return;
    const ci = this.world.ecs.byEc2Id.get(action.instanceId);
    if (action.hook.transition === LAUNCHING) {
      if (ci && ci.status === 'ACTIVE' && ci.agentConnected) action.conditionMetAt = this.world.sim.now;
      return;
    }
    if (!ci || ci.status === 'INACTIVE') {
      action.conditionMetAt = this.world.sim.now;
      return;
    }
    if (ci.status !== 'DRAINING') return;
    const touched = new Set<Service>();
    for (const task of ci.tasks) {
      if (task.lastStatus !== 'STOPPED') return;
      if (task.kind === 'replica' && task.service) touched.add(task.service);
    }
    for (const service of touched) {
      if (!this.world.ecs.isStable(service)) {
        this.waitingOnServices.add(action);
        return;
      }
    }
    this.waitingOnServices.delete(action);
    action.conditionMetAt = this.world.sim.now;
  }
}
