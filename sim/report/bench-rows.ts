/** Bench: the scenarios, the per-(strategy, N) row, and the text table. */
import { BACKGROUND_FAULTS } from '../faults';
import { runScenario, type RunResult } from '../run';
import type { StrategyId } from '../strategies';
import type { Timings } from '../timings';

export interface BenchRow {
  readonly makespanS: number | null;
  readonly makespanRatio: number | null;
  readonly lowestHealthyPct: number;
  readonly undrainedTaskStops: number;
  readonly hookLatencyP50S: number | null;
  readonly hookLatencyP99S: number | null;
  /** Lifecycle actions that ended by their heartbeat timeout (included in the percentiles with their wait). */
  readonly hooksTimedOut: number;
  readonly lambdaInvocations: number;
  readonly lambdaGbSecondsPerInstance: number;
  readonly ecsApiCallsPerInstance: number;
  readonly throttledCalls: number;
  /** Drains the gates ended with work still on the instance (only with the opt-in forceDrainAfterSeconds). */
  readonly forcedDrains: number;
  /** Only on rows cut short by the bench's time budget (ECM at N=1000): figures scaled from the replaced share. */
  readonly extrapolatedFromInstances?: number;
}

export const BENCH_SIZES = [1, 10, 100, 1000] as const;

/** Strategies that replace one instance at a time (CloudFormation rolling updates of batch size 1). */
export const SERIAL_STRATEGIES: ReadonlySet<StrategyId> = new Set<StrategyId>(['ECM', 'CDK']);

/**
 * Virtual-time limit. ECM and CDK replace one instance at a time (minutes each), so N=1000 takes tens of simulated
 * hours and CPU minutes per seed; they are cut at 3 simulated hours and their figures scaled linearly from the
 * instances replaced by then (exact in expectation for a strictly serial batch-1 update).
 */
export function maxSecondsFor(strategy: StrategyId, instances: number): number {
  if (SERIAL_STRATEGIES.has(strategy)) return instances >= 1000 ? 3 * 3600 : Math.max(6 * 3600, instances * 1200);
  return 6 * 3600;
}

export function benchScenario(
  strategy: StrategyId,
  instances: number,
  seed: number,
  timings?: Partial<Timings>,
  reservedConcurrency?: number,
): Promise<RunResult> {
  return runScenario({
    strategy,
    seed,
    shape: { instances },
    faults: BACKGROUND_FAULTS,
    maxSeconds: maxSecondsFor(strategy, instances),
    timings,
    reservedConcurrency,
  });
}

const r = (value: number, digits: number): number => Number(value.toFixed(digits));

export function toRow(result: RunResult, t1: number | null): BenchRow {
  const n = result.instances;
  const extrapolate =
    !result.completed && !result.failed && SERIAL_STRATEGIES.has(result.strategy) && result.replacedInstances > 0;
  const done = extrapolate ? result.replacedInstances : n;
  const scale = n / done;
  const makespan = extrapolate ? r(result.simulatedSeconds * scale, 1) : result.makespanS;
  return {
    makespanS: makespan,
    makespanRatio: makespan !== null && t1 ? r(makespan / t1, 2) : null,
    lowestHealthyPct: result.lowestHealthyPct,
    undrainedTaskStops: Math.round(result.undrainedTaskStops * scale),
    hookLatencyP50S: result.hookLatencyP50S,
    hookLatencyP99S: result.hookLatencyP99S,
    hooksTimedOut: Math.round(result.hooksTimedOut * scale),
    lambdaInvocations: Math.round(result.lambdaInvocations * scale),
    lambdaGbSecondsPerInstance: r(result.lambdaGbSeconds / done, 3),
    ecsApiCallsPerInstance: r(result.ecsApiCalls / done, 1),
    throttledCalls: Math.round(result.throttledCalls * scale),
    forcedDrains: Math.round(result.forcedDrains * scale),
    ...(extrapolate ? { extrapolatedFromInstances: done } : {}),
  };
}

type Row = BenchRow & { readonly makespanSP90?: number | null; readonly makespanRatioP90?: number | null };

const COLUMNS: [keyof Row, string][] = [
  ['makespanS', 'makespan s'],
  ['makespanRatio', '/T1'],
  ['lowestHealthyPct', 'min healthy %'],
  ['undrainedTaskStops', 'undrained stops'],
  ['hookLatencyP50S', 'hook p50 s'],
  ['hookLatencyP99S', 'hook p99 s'],
  ['hooksTimedOut', 'hooks timed out'],
  ['lambdaInvocations', 'λ invocations'],
  ['lambdaGbSecondsPerInstance', 'λ GB-s/inst'],
  ['ecsApiCallsPerInstance', 'ECS calls/inst'],
  ['throttledCalls', 'throttled'],
];

/** Multi-seed tables add the p90 of the makespan and of the ratio next to their means. */
const P90_COLUMNS: [keyof Row, string][] = [
  ['makespanSP90', 'makespan p90 s'],
  ['makespanRatioP90', '/T1 p90'],
];

/** The text table; `seeds` (multi-seed rows) adds the p90 columns and says that the other cells are means. */
export function formatTable(rows: Record<string, Record<string, Row>>, seeds?: number): string {
  const columns = seeds === undefined ? COLUMNS : [...COLUMNS.slice(0, 2), ...P90_COLUMNS, ...COLUMNS.slice(2)];
  const header = ['strategy', 'N', ...columns.map(([, title]) => title)];
  const lines: string[][] = [header];
  for (const [strategy, byN] of Object.entries(rows)) {
    for (const [n, row] of Object.entries(byN)) {
      const mark = row.extrapolatedFromInstances ? `~` : '';
      const cell = (key: keyof Row): string => {
        const value = row[key];
        return value === null || value === undefined ? '—' : String(value);
      };
      lines.push([strategy, `${n}${mark}`, ...columns.map(([key]) => cell(key))]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  const fmt = (line: string[]): string =>
    line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const notes: string[] = [];
  if (seeds !== undefined) notes.push(`means over seeds 1..${seeds} (p90 columns: 90th percentile over the seeds)`);
  if (Object.values(rows).some((byN) => Object.values(byN).some((row) => row.extrapolatedFromInstances)))
    notes.push(
      '~ cut at 3 simulated hours; scaled linearly from the instances replaced by then (serial batch-1 update)',
    );
  const table = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(fmt)].join('\n');
  return notes.length > 0 ? `${table}\n\n${notes.join('\n')}` : table;
}
