/**
 * BLOG — the pattern of "Updating Launch Templates with Lambda" (2020-02-29), a personal blog post, not an AWS
 * publication: a daily scheduled Python Lambda points the launch template at the latest ECS-optimized AMI (SSM
 * parameter), then creates two Auto Scaling scheduled actions — desired capacity doubled one minute later, set back
 * 15 minutes later — and lets the termination policy (oldest launch template/configuration first) remove the old
 * instances. No lifecycle hooks: the tasks on terminated hosts are stopped without a drain, and nothing checks that
 * the new instances joined the cluster. (The post's example group has min 1, max 2, desired 1; the model doubles any
 * N.)
 */
import type { Strategy } from './types';

export const BLOG_SCALE_OUT_AT = 60;
export const BLOG_SCALE_IN_AT = 15 * 60;

export const BLOG: Strategy = {
  id: 'BLOG',
  description: 'personal-blog pattern: double desired capacity, wait 15 min, scale back in (OldestLaunchTemplate)',
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
