/**
 * Multi-seed bench rows: one row per (strategy, N) from the rows of seeds 1..K. Every key of the single-seed row is
 * the mean over the seeds that produced a value for it (a null makespan — a run that did not finish — is left out of
 * the mean and counted in `completedSeeds` instead); `makespanRatio` is computed per seed against that seed's own T1
 * before it is averaged, so seed-to-seed variation of T1 does not leak into the ratio.
 */
import { percentile } from '../metrics';
import type { RunResult } from '../run';
import type { StrategyId } from '../strategies';
import type { Timings } from '../timings';
import { benchScenario, toRow, type BenchRow } from './bench-rows';

export interface MultiSeedRow extends Omit<BenchRow, 'extrapolatedFromInstances'> {
  /** Mean makespan (s) over the seeds that finished; the same value as `makespanS`, named for readers of the JSON. */
  readonly makespanSMean: number | null;
  /** 90th percentile (nearest rank) of the per-seed makespans (s). */
  readonly makespanSP90: number | null;
  /** 90th percentile (nearest rank) of the per-seed makespan / T1 ratios. */
  readonly makespanRatioP90: number | null;
  /** Number of seeds run (1..K). */
  readonly seeds: number;
  /** Seeds whose rollout finished (or, for rows cut by the time budget, was extrapolated). */
  readonly completedSeeds: number;
  /** Mean of the instances replaced before the cut, on rows cut short by the bench's time budget. */
  readonly extrapolatedFromInstances?: number;
}

const DIGITS: Readonly<Record<keyof BenchRow, number>> = {
  makespanS: 1,
  makespanRatio: 2,
  lowestHealthyPct: 1,
  undrainedTaskStops: 1,
  hookLatencyP50S: 2,
  hookLatencyP99S: 2,
  hooksTimedOut: 1,
  lambdaInvocations: 1,
  lambdaGbSecondsPerInstance: 3,
  ecsApiCallsPerInstance: 1,
  throttledCalls: 1,
  forcedDrains: 1,
  extrapolatedFromInstances: 0,
};

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function values(rows: readonly BenchRow[], key: keyof BenchRow): number[] {
  return rows.map((row) => row[key]).filter((v): v is number => typeof v === 'number');
}

function mean(rows: readonly BenchRow[], key: keyof BenchRow): number | null {
  const present = values(rows, key);
  if (present.length === 0) return null;
  return round(present.reduce((sum, v) => sum + v, 0) / present.length, DIGITS[key]);
}

function p90(rows: readonly BenchRow[], key: keyof BenchRow): number | null {
  const p = percentile(values(rows, key), 90);
  return p === null ? null : round(p, DIGITS[key]);
}

/** Aggregates the rows of one (strategy, N) over its seeds. `perSeed` must be non-empty. */
export function aggregateSeeds(perSeed: readonly BenchRow[]): MultiSeedRow {
  if (perSeed.length === 0) throw new Error('aggregateSeeds needs the row of at least one seed');
  const makespanS = mean(perSeed, 'makespanS');
  const extrapolated = mean(perSeed, 'extrapolatedFromInstances');
  return {
    makespanS,
    makespanRatio: mean(perSeed, 'makespanRatio'),
    lowestHealthyPct: mean(perSeed, 'lowestHealthyPct') as number,
    undrainedTaskStops: mean(perSeed, 'undrainedTaskStops') as number,
    hookLatencyP50S: mean(perSeed, 'hookLatencyP50S'),
    hookLatencyP99S: mean(perSeed, 'hookLatencyP99S'),
    hooksTimedOut: mean(perSeed, 'hooksTimedOut') as number,
    lambdaInvocations: mean(perSeed, 'lambdaInvocations') as number,
    lambdaGbSecondsPerInstance: mean(perSeed, 'lambdaGbSecondsPerInstance') as number,
    ecsApiCallsPerInstance: mean(perSeed, 'ecsApiCallsPerInstance') as number,
    throttledCalls: mean(perSeed, 'throttledCalls') as number,
    forcedDrains: mean(perSeed, 'forcedDrains') as number,
    makespanSMean: makespanS,
    makespanSP90: p90(perSeed, 'makespanS'),
    makespanRatioP90: p90(perSeed, 'makespanRatio'),
    seeds: perSeed.length,
    completedSeeds: values(perSeed, 'makespanS').length,
    ...(extrapolated === null ? {} : { extrapolatedFromInstances: extrapolated }),
  };
}

export interface SeedRun {
  readonly strategy: StrategyId;
  readonly n: number;
  readonly seed: number;
  readonly result: RunResult;
  /** Wall-clock milliseconds the run took. */
  readonly wallMs: number;
}

/**
 * Runs one strategy at every size for each seed and returns one row set (keyed by N) per seed. Each seed's ratio
 * divides by that seed's own N = 1 makespan; N = 1 is run for it even when `sizes` leaves it out (and then not
 * reported).
 */
export async function benchSeeds(
  strategy: StrategyId,
  sizes: readonly number[],
  seeds: readonly number[],
  onRun: (run: SeedRun) => void = () => undefined,
  timings?: Partial<Timings>,
  reservedConcurrency?: number,
): Promise<Record<string, BenchRow>[]> {
  const runSizes = [...new Set([1, ...sizes])].sort((a, b) => a - b);
  const perSeed: Record<string, BenchRow>[] = [];
  for (const seed of seeds) {
    const rows: Record<string, BenchRow> = {};
    let t1: number | null = null;
    for (const n of runSizes) {
      const started = Date.now();
      const result = await benchScenario(strategy, n, seed, timings, reservedConcurrency);
      if (n === 1) t1 = result.makespanS;
      if (sizes.includes(n)) rows[String(n)] = toRow(result, t1);
      onRun({ strategy, n, seed, result, wallMs: Date.now() - started });
    }
    perSeed.push(rows);
  }
  return perSeed;
}

/** The per-seed row sets of one strategy, aggregated per N (sizes in ascending order). */
export function aggregateBySize(perSeed: readonly Record<string, BenchRow>[]): Record<string, MultiSeedRow> {
  const sizes = Object.keys(perSeed[0] ?? {}).sort((a, b) => Number(a) - Number(b));
  return Object.fromEntries(sizes.map((n) => [n, aggregateSeeds(perSeed.map((rows) => rows[n]))]));
}

const fmt = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits });

/**
 * The README table: per strategy and N the mean and p90 makespan (s), the mean and p90 makespan / T1, the lowest
 * healthy capacity, undrained task stops, hook latency p50 / p99 (timed-out hooks included, and counted), Lambda GB-s
 * and ECS calls per instance, throttled calls — all means over the seeds.
 */
export function formatMarkdown(rows: Record<string, Record<string, MultiSeedRow>>): string {
  const lines = [
    '| strategy | N | makespan s (mean / p90) | /T1 (mean / p90) | lowest healthy % | undrained task stops |' +
      ' hook p50 / p99 s | hooks timed out | λ GB-s / instance | ECS calls / instance | throttled calls |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [strategy, byN] of Object.entries(rows)) {
    for (const [n, r] of Object.entries(byN)) {
      const cut = r.extrapolatedFromInstances !== undefined ? ' ≈' : '';
      lines.push(
        `| ${strategy} | ${n}${cut} | ${fmt(r.makespanSMean)} / ${fmt(r.makespanSP90)} | ` +
          `${fmt(r.makespanRatio, 2)} / ${fmt(r.makespanRatioP90, 2)} | ${fmt(r.lowestHealthyPct)} | ` +
          `${fmt(r.undrainedTaskStops)} | ${fmt(r.hookLatencyP50S, 2)} / ${fmt(r.hookLatencyP99S, 2)} | ` +
          `${fmt(r.hooksTimedOut)} | ${fmt(r.lambdaGbSecondsPerInstance, 3)} | ${fmt(r.ecsApiCallsPerInstance)} | ` +
          `${fmt(r.throttledCalls)} |`,
      );
    }
  }
  return lines.join('\n');
}
