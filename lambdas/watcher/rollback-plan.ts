/**
 * Rollback, step 2: replace the instances that run the rolled-back AMI. Pure.
 *
 * Why TerminateInstanceInAutoScalingGroup (ShouldDecrementDesiredCapacity=false) one batch at a time, and not a second
 * instance refresh: with a `resolve:ssm:` launch template the launch template version never changes, and SkipMatching
 * compares launch template versions, not the AMI an instance resolved at launch — so a refresh cannot tell the bad
 * instances from the good ones and would replace the whole group (including every instance still on the good AMI).
 * Terminating only the instances whose EC2 ImageId is the failed AMI replaces exactly those; each termination goes
 * through the terminate lifecycle hook, so the drain gate drains its tasks first, and Auto Scaling launches the
 * replacement from the restored approved parameter (through the launch gate). Batches are bounded by the node group's
 * MinHealthyPercentage, and the next batch starts only when nothing is launching or terminating any more.
 */

/** Lifecycle states in which an instance is on its way in or out: the previous batch is not finished. */
const IN_FLIGHT = /^(Pending|Terminating|Warmed:Pending|Warmed:Terminating|EnteringStandby|Detaching)/;

export interface RollbackInput {
  readonly failedAmiId: string;
  readonly restoredAmiId: string;
  /** Current value of the approved parameter. */
  readonly approvedAmiId?: string;
  readonly paused: boolean;
  readonly desiredCapacity: number;
  readonly minHealthyPercentage: number;
  readonly instances: readonly {
    readonly instanceId: string;
    readonly lifecycleState: string;
    readonly imageId?: string;
  }[];
}

export type RollbackStep =
  /** The approved parameter still holds the failed AMI (the restore write was lost, or SSM is still validating it). */
  | { readonly action: 'RESTORE_PARAMETER'; readonly reason: string }
  /** The approved parameter holds a third AMI: an operator took over; stop replacing. */
  | { readonly action: 'ABORT'; readonly reason: string }
  | { readonly action: 'WAIT'; readonly reason: string; readonly remaining: number }
  | {
      readonly action: 'TERMINATE';
      readonly instanceIds: readonly string[];
      readonly reason: string;
      readonly remaining: number;
    }
  | { readonly action: 'DONE'; readonly reason: string };

/** Instances that may be out of service at once: the share MinHealthyPercentage allows, at least one. */
export function rollbackBatchSize(desiredCapacity: number, minHealthyPercentage: number): number {
  return Math.max(1, Math.floor((desiredCapacity * (100 - minHealthyPercentage)) / 100));
}

export function planRollback(input: RollbackInput): RollbackStep {
  if (input.approvedAmiId === input.failedAmiId) {
    return {
      action: 'RESTORE_PARAMETER',
      reason: `the approved parameter still holds ${input.failedAmiId}: restore ${input.restoredAmiId} first`,
    };
  }
  if (input.approvedAmiId !== input.restoredAmiId) {
    return {
      action: 'ABORT',
      reason:
        `the approved parameter holds ${input.approvedAmiId ?? 'nothing'}, neither ` +
        `${input.restoredAmiId} nor ${input.failedAmiId}: an operator took over`,
    };
  }
  const onFailed = input.instances.filter((i) => i.imageId === input.failedAmiId);
  const terminable = onFailed.filter((i) => i.lifecycleState === 'InService');
  if (terminable.length === 0 && onFailed.every((i) => !IN_FLIGHT.test(i.lifecycleState))) {
    const leftover =
      onFailed.length > 0
        ? ` (${onFailed.length} outside InService left alone: ` +
          `${onFailed.map((i) => `${i.instanceId}:${i.lifecycleState}`).join(', ')})`
        : '';
    return { action: 'DONE', reason: `no InService instance runs ${input.failedAmiId} any more${leftover}` };
  }
  const inFlight = input.instances.filter((i) => IN_FLIGHT.test(i.lifecycleState));
  if (inFlight.length > 0) {
    return {
      action: 'WAIT',
      remaining: terminable.length,
      reason:
        `${inFlight.length} instance(s) still launching or terminating: ` +
        `${inFlight.map((i) => `${i.instanceId}:${i.lifecycleState}`).join(', ')}`,
    };
  }
  if (input.instances.some((i) => i.imageId === undefined)) {
    return { action: 'WAIT', remaining: terminable.length, reason: 'the AMI of some instances is not known yet' };
  }
  if (input.paused)
    return { action: 'WAIT', remaining: terminable.length, reason: 'the pause switch is on: no termination' };
  const size = rollbackBatchSize(input.desiredCapacity, input.minHealthyPercentage);
  const batch = terminable
    .map((i) => i.instanceId)
    .sort()
    .slice(0, size);
  return {
    action: 'TERMINATE',
    instanceIds: batch,
    remaining: terminable.length - batch.length,
    reason: `replace ${batch.length} of ${terminable.length} instance(s) on ${input.failedAmiId} (batch size ${size})`,
  };
}
