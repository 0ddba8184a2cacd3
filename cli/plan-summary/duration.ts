/**
 * The one duration model of plan-summary: how long the instance refresh that Terraform starts on apply takes to
 * replace a group's instances. Stated as steps a reviewer can redo by hand.
 *
 * 1. Batch size = max(1, ⌊instances × (max healthy % − min healthy %) / 100⌋), at most the instance count. AWS keeps
 *    at least MinHealthyPercentage of the desired capacity "in service, healthy, and ready to use" and allows up to
 *    MaxHealthyPercentage "in service and healthy, or pending" (RefreshPreferences, Amazon EC2 Auto Scaling API
 *    Reference, https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html); that the
 *    spread is what it replaces at once is our reading (*assumption*), which the AWS checkpoint example below
 *    confirms for min 80 % / max 100 % (two of ten at a time).
 * 2. Checkpoints split the refresh into phases. The checkpoint at p % is reached when at least ⌈p × instances / 100⌉
 *    instances are new; AWS "paces instance replacements to honor the specified checkpoint percentages … will
 *    sometimes replace fewer but never more than what the minimum healthy percentage allows", and a checkpoint that
 *    an earlier batch already passed is skipped ("Add checkpoints to an instance refresh",
 *    https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html). Each
 *    phase takes ⌈instances in the phase / batch size⌉ batches.
 * 3. After every reached checkpoint below 100 % the refresh waits `checkpoint_delay` (same page); with checkpoints
 *    and no delay, "the CheckpointDelay defaults to 3600 (1 hour)" (RefreshPreferences, above).
 * 4. A batch takes boot + join + warmup + drain: the new instances boot and join the cluster (the launch gate
 *    completes its hook), AWS waits the instance warmup, then the old instances drain (the drain gate completes their
 *    hook) before the next batch starts. Boot, join and drain are *assumptions* (defaults below, `--boot-seconds`,
 *    `--join-seconds`, `--drain-seconds`); warmup, checkpoints and the delay come from the plan.
 * 5. Bake time (`bake_time`, AWS's wait before a refresh counts as complete) is added once when the plan carries it;
 *    hashicorp/aws 5.100.0 has no such argument, so the module's refreshes have none.
 */
export interface DurationAssumptions {
  /** EC2 launch to the ECS agent starting. *Assumption* (ECS-optimized AMI, cold boot). */
  readonly bootSeconds: number;
  /** Agent start to ACTIVE in the cluster (the launch gate's CONTINUE). *Assumption*. */
  readonly joinSeconds: number;
  /** Drain of one old instance: tasks moved, services stable (the drain gate's CONTINUE). *Assumption*. */
  readonly drainSeconds: number;
}

export const DEFAULT_ASSUMPTIONS: DurationAssumptions = { bootSeconds: 90, joinSeconds: 30, drainSeconds: 300 };

export interface RefreshShape {
  readonly instancesReplaced: number;
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly warmupSeconds: number;
  readonly checkpointPercentages: readonly number[];
  readonly checkpointDelaySeconds: number;
  readonly bakeSeconds?: number;
}

/** One phase: the batches up to a checkpoint (or to the end), and the pause that follows it. */
export interface RefreshPhase {
  /** New instances when the phase ends. */
  readonly upTo: number;
  readonly batches: number[];
  readonly pauseSeconds: number;
}

export interface RefreshEstimate {
  readonly batchSize: number;
  /** Batches over all phases. */
  readonly batches: number;
  readonly phases: RefreshPhase[];
  readonly secondsPerBatch: number;
  readonly checkpointPauses: number;
  readonly totalSeconds: number;
}

/** The new-instance count each checkpoint needs, deduplicated (a passed checkpoint is skipped), ending at `count`. */
function checkpointTargets(count: number, percentages: readonly number[]): number[] {
  const targets = percentages
    .filter((p) => p > 0 && p < 100)
    .map((p) => Math.min(count, Math.ceil((p * count) / 100)))
    .sort((a, b) => a - b);
  return [...new Set([...targets, count])];
}

export function estimateRefresh(
  shape: RefreshShape,
  assumptions: DurationAssumptions = DEFAULT_ASSUMPTIONS,
): RefreshEstimate {
  const count = Math.max(0, shape.instancesReplaced);
  const spread = Math.max(0, shape.maxHealthyPercentage - shape.minHealthyPercentage);
  const batchSize = Math.max(1, Math.min(count, Math.floor((count * spread) / 100)));
  const secondsPerBatch =
    assumptions.bootSeconds + assumptions.joinSeconds + shape.warmupSeconds + assumptions.drainSeconds;
  const phases: RefreshPhase[] = [];
  let done = 0;
  for (const target of count === 0 ? [] : checkpointTargets(count, shape.checkpointPercentages)) {
    const batches: number[] = [];
    for (let left = target - done; left > 0; left -= batchSize) batches.push(Math.min(batchSize, left));
    phases.push({ upTo: target, batches, pauseSeconds: target < count ? shape.checkpointDelaySeconds : 0 });
    done = target;
  }
  const batches = phases.reduce((sum, phase) => sum + phase.batches.length, 0);
  const pauses = phases.filter((phase) => phase.pauseSeconds > 0);
  const pauseSeconds = pauses.reduce((sum, phase) => sum + phase.pauseSeconds, 0);
  return {
    batchSize,
    batches,
    phases,
    secondsPerBatch,
    checkpointPauses: pauses.length,
    totalSeconds: batches * secondsPerBatch + pauseSeconds + (count > 0 ? (shape.bakeSeconds ?? 0) : 0),
  };
}

export const DURATION_FORMULA =
  'batches × (boot + join + warmup + drain) + checkpoint pauses × checkpoint delay (+ bake time), ' +
  'with batch size = max(1, ⌊instances × (max healthy % − min healthy %) / 100⌋) and a checkpoint at p % ' +
  'ending a phase at ⌈p × instances / 100⌉ new instances';

/** "≈ 1 h 05 min", "≈ 9 min", "< 1 min". */
export function formatRoughDuration(seconds: number): string {
  if (seconds < 60) return '< 1 min';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `≈ ${minutes} min`;
  return `≈ ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "2 batches (1 + pause 600 s + 1)" — the phases as a reviewer would count them. */
export function describeBatches(estimate: RefreshEstimate): string {
  const plural = estimate.batches === 1 ? 'batch' : 'batches';
  if (estimate.phases.length <= 1) return `${estimate.batches} ${plural} of ≤ ${estimate.batchSize}`;
  const parts = estimate.phases.map(
    (phase) => phase.batches.join(' + ') + (phase.pauseSeconds > 0 ? ` + pause ${phase.pauseSeconds} s` : ''),
  );
  return `${estimate.batches} ${plural}: ${parts.join(' + ')}`;
}
