/**
 * Rollback, step 2: replace the instances that run the rolled-back AMI, never below 100 % of the desired capacity.
 * Pure.
 *
 * How: an instance refresh of the restored configuration (lib/refresh/refresh-preferences.ts
 * `rollbackRefreshPreferences`: MinHealthyPercentage 100, MaxHealthyPercentage 200). With min 100 % Auto Scaling
 * launches each replacement first and terminates an old instance only once the replacements are healthy ("How an
 * instance refresh works", https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html), so
 * healthy capacity never drops below desired, a replacement that fails to launch terminates nothing, and with max
 * 200 % the whole group is one batch (about one instance lifetime, whatever the size). Every termination still goes
 * through the drain gate.
 *
 * Why not terminate the bad instances ourselves (TerminateInstanceInAutoScalingGroup, as this watcher once did):
 * terminate-then-replace runs every batch one instance short, and "temporarily raise the desired capacity" fights ECS
 * managed scaling, which owns the desired capacity and would scale the extra instances back in. The price of the
 * refresh: with `resolve:ssm:` every instance has the same launch template version, so SkipMatching cannot single out
 * the instances on the failed AMI — the refresh replaces the whole group, including instances that never left the
 * good AMI. When no instance runs the failed AMI (the launch gate abandoned every one), no refresh is started at all.
 *
 * First match wins:
 *  1. the approved parameter still holds the failed AMI → RESTORE_PARAMETER (or wait for SSM's validation);
 *  2. it holds a third AMI → ABORT (an operator took over);
 *  3. no instance runs the failed AMI → DONE;
 *  4. the AMI of some instance is not known yet → WAIT;
 *  5. a refresh is running (the rollback's own, or anyone else's: one refresh at a time) → WAIT;
 *  6. every instance on the failed AMI is still launching or leaving → WAIT (the launch gate decides about them);
 *  7. the pause switch is on → WAIT;
 *  8. fewer instances InService than desired, or a launch failed in the last RECENT_LAUNCH_FAILURE_SECONDS → WAIT
 *     (start again once the group recovered: a refresh started now could only wait or fail);
 *  9. → START_REFRESH.
 */
import type { RefreshView } from './types';

/** Lifecycle states in which an instance is on its way in or out. */
const IN_FLIGHT = /^(Pending|Terminating|Warmed:Pending|Warmed:Terminating|EnteringStandby|Detaching)/;

/** A launch that failed this recently means EC2 cannot launch right now (capacity, limits): do not start yet. */
export const RECENT_LAUNCH_FAILURE_SECONDS = 600;

export interface RollbackInput {
  readonly failedAmiId: string;
  readonly restoredAmiId: string;
  /** Current value of the approved parameter. */
  readonly approvedAmiId?: string;
  readonly paused: boolean;
  readonly desiredCapacity: number;
  readonly instances: readonly {
    readonly instanceId: string;
    readonly lifecycleState: string;
    readonly imageId?: string;
  }[];
  /** The group's active refresh, if any. */
  readonly activeRefresh?: RefreshView;
  /** The rollback's own refresh (latest attempt). */
  readonly replaceRefreshId?: string;
  /** Newest failed launch of the group (read only when about to start). */
  readonly lastFailedLaunchAt?: Date;
  readonly now: Date;
}

export type RollbackStep =
  /** The approved parameter still holds the failed AMI (the restore write was lost, or SSM is still validating it). */
  | { readonly action: 'RESTORE_PARAMETER'; readonly reason: string }
  /** The approved parameter holds a third AMI: an operator took over; stop. */
  | { readonly action: 'ABORT'; readonly reason: string }
  | { readonly action: 'WAIT'; readonly reason: string; readonly remaining: number }
  | { readonly action: 'START_REFRESH'; readonly reason: string; readonly remaining: number }
  | { readonly action: 'DONE'; readonly reason: string };

function list(instances: RollbackInput['instances']): string {
  return instances.map((i) => `${i.instanceId}:${i.lifecycleState}`).join(', ');
}

export function planRollback(input: RollbackInput): RollbackStep {
  const failed = input.failedAmiId;
  if (input.approvedAmiId === failed) {
    return {
      action: 'RESTORE_PARAMETER',
      reason: `the approved parameter still holds ${failed}: restore ${input.restoredAmiId} first`,
    };
  }
  if (input.approvedAmiId !== input.restoredAmiId) {
    return {
      action: 'ABORT',
      reason:
        `the approved parameter holds ${input.approvedAmiId ?? 'nothing'}, ` +
        `neither ${input.restoredAmiId} nor ${failed}: an operator took over`,
    };
  }
  const onFailed = input.instances.filter((i) => i.imageId === failed);
  const remaining = onFailed.length;
  if (remaining === 0 && input.instances.every((i) => i.imageId !== undefined)) {
    return { action: 'DONE', reason: `no instance runs ${failed} any more` };
  }
  if (input.instances.some((i) => i.imageId === undefined)) {
    return { action: 'WAIT', remaining, reason: 'the AMI of some instances is not known yet' };
  }
  const active = input.activeRefresh;
  if (active) {
    const whose =
      active.id === input.replaceRefreshId ? "the rollback's refresh" : 'a refresh the watcher did not start';
    return { action: 'WAIT', remaining, reason: `${whose} ${active.id} is ${active.status}` };
  }
  if (onFailed.every((i) => IN_FLIGHT.test(i.lifecycleState))) {
    return {
      action: 'WAIT',
      remaining,
      reason: `instance(s) on ${failed} still launching or leaving: ${list(onFailed)}`,
    };
  }
  if (input.paused) return { action: 'WAIT', remaining, reason: 'the pause switch is on: no rollback refresh' };
  const inService = input.instances.filter((i) => i.lifecycleState === 'InService').length;
  if (inService < input.desiredCapacity) {
    return {
      action: 'WAIT',
      remaining,
      reason: `${inService} of ${input.desiredCapacity} instances InService: waiting for the group to recover`,
    };
  }
  const last = input.lastFailedLaunchAt;
  if (last !== undefined && input.now.getTime() - last.getTime() < RECENT_LAUNCH_FAILURE_SECONDS * 1000) {
    return {
      action: 'WAIT',
      remaining,
      reason: `a launch failed at ${last.toISOString()}: waiting until launches succeed again`,
    };
  }
  return {
    action: 'START_REFRESH',
    remaining,
    reason:
      `replace the ${remaining} instance(s) on ${failed} with ${input.restoredAmiId} ` +
      '(refresh, launch before terminate)',
  };
}
