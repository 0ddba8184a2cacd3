/**
 * Rough duration of an instance refresh, stated as a formula so reviewers can redo it:
 *   batch size = max(1, ⌊replaced × (maxHealthy − minHealthy) / 100⌋)   (instances Auto Scaling replaces at once)
 *   batches    = ⌈replaced / batch size⌉
 *   duration   = batches × (boot + join + warmup + drain) + checkpoints below 100 % × checkpoint delay
 * boot/join/drain are estimates (flags); warmup is the refresh's own instance_warmup.
 */
export interface DurationAssumptions {
  /** EC2 launch to the ECS agent starting. */
  readonly bootSeconds: number;
  /** Agent start to ACTIVE in the cluster (the launch gate's CONTINUE). */
  readonly joinSeconds: number;
  /** Drain of one old instance: tasks moved, services stable (the drain gate's CONTINUE). */
  readonly drainSeconds: number;
}

export const DEFAULT_ASSUMPTIONS: DurationAssumptions = { bootSeconds: 90, joinSeconds: 30, drainSeconds: 300 };

export interface RefreshEstimate {
  readonly batchSize: number;
  readonly batches: number;
  readonly secondsPerBatch: number;
  readonly checkpointPauses: number;
  readonly totalSeconds: number;
}

export interface RefreshShape {
  readonly instancesReplaced: number;
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly warmupSeconds: number;
  readonly checkpointPercentages: readonly number[];
  readonly checkpointDelaySeconds: number;
}

export function estimateRefresh(
  shape: RefreshShape,
  assumptions: DurationAssumptions = DEFAULT_ASSUMPTIONS,
): RefreshEstimate {
  const spread = Math.max(0, shape.maxHealthyPercentage - shape.minHealthyPercentage);
  const batchSize = Math.max(1, Math.floor((shape.instancesReplaced * spread) / 100));
  const batches = shape.instancesReplaced === 0 ? 0 : Math.ceil(shape.instancesReplaced / batchSize);
  const secondsPerBatch =
    assumptions.bootSeconds + assumptions.joinSeconds + shape.warmupSeconds + assumptions.drainSeconds;
  const checkpointPauses = batches === 0 ? 0 : shape.checkpointPercentages.filter((p) => p < 100).length;
  return {
    batchSize,
    batches,
    secondsPerBatch,
    checkpointPauses,
    totalSeconds: batches * secondsPerBatch + checkpointPauses * shape.checkpointDelaySeconds,
  };
}

export const DURATION_FORMULA =
  'batches × (boot + join + warmup + drain) + checkpoints × checkpoint delay, ' +
  'with batch size = max(1, ⌊instances × (max healthy % − min healthy %) / 100⌋)';

/** "≈ 1 h 05 min", "≈ 9 min", "< 1 min". */
export function formatRoughDuration(seconds: number): string {
  if (seconds < 60) return '< 1 min';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `≈ ${minutes} min`;
  return `≈ ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
