/**
 * NAT — ECS managed instance draining (capacity provider `managedDraining: ENABLED`;
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html): ECS owns a terminate
 * lifecycle hook, sets the container instance DRAINING when the instance starts terminating, keeps the action alive
 * and completes it once no task is left on the instance. No launch gate: a new instance counts as InService (and,
 * after warm-up, healthy for the refresh) before — or without ever — joining the cluster. Same instance refresh
 * preferences as US.
 */
import { InstanceRefresh } from '../aws/instance-refresh';
import { TERMINATING, type LifecycleAction } from '../aws/autoscaling';
import type { World } from '../world';
import { REFRESH_PREFERENCES, type Strategy } from './types';

function manageDrain(world: World, action: LifecycleAction): void {
  const check = (): void => {
    if (action.done) return;
    const ci = world.ecs.byEc2Id.get(action.instanceId);
    if (!ci || ci.status === 'INACTIVE') {
      world.asg.completeInternal(action, 'CONTINUE');
      return;
    }
    if (ci.status === 'ACTIVE') world.ecs.setStatus(ci, 'DRAINING');
    const busy = [...ci.tasks].some((task) => task.lastStatus !== 'STOPPED');
    if (!busy) {
      world.asg.completeInternal(action, 'CONTINUE');
      return;
    }
    // ECS keeps the action alive while it drains.
    world.asg.heartbeatInternal(action);
    world.sim.after(world.timings.ecsManagedDrainCheckSeconds, check);
  };
  world.sim.after(world.rng.ecs.uniform(2, 10), check);
}

export const NAT: Strategy = {
  id: 'NAT',
  description: 'ECS managed instance draining (no launch gate)',
  install(world) {
    world.asg.hooks = [
      {
        name: 'ecs-managed-draining-termination-hook',
        transition: TERMINATING,
        heartbeatTimeout: 3600,
        defaultResult: 'CONTINUE',
        owner: 'ecs-managed',
      },
    ];
    world.asg.managedHookListener = (action) => manageDrain(world, action);
  },
  start(world) {
    new InstanceRefresh(world, world.asg, world.newAmiId, REFRESH_PREFERENCES);
  },
  failed(world) {
    const status = world.asg.refresh?.status;
    return status !== undefined && status !== 'InProgress' && status !== 'Successful';
  },
};
