/**
 * BLOG — the AWS Compute blog "Updating Launch Templates with Lambda" pattern, as commonly deployed: point the
 * launch template at the new AMI, double the desired capacity one minute later, set it back 15 minutes later and let
 * the termination policy (OldestLaunchTemplate) remove the old instances. No lifecycle hooks: the tasks on terminated
 * hosts are stopped without a drain, and nothing checks that the new instances joined the cluster.
 */
import type { Strategy } from './types';

export const BLOG_SCALE_OUT_AT = 60;
export const BLOG_SCALE_IN_AT = 15 * 60;

export const BLOG: Strategy = {
  id: 'BLOG',
  description: 'double desired capacity, wait 15 min, scale back in (OldestLaunchTemplate)',
  install(world) {
    world.asg.hooks = [];
  },
  start(world) {
    const group = world.asg;
    const n = group.desired;
    group.imageId = world.newAmiId;
    world.sim.after(BLOG_SCALE_OUT_AT, () => {
      group.desired = 2 * n;
      group.reconcile();
    });
    world.sim.after(BLOG_SCALE_IN_AT, () => {
      group.desired = n;
      group.reconcile();
    });
  },
  failed() {
    return false;
  },
};
