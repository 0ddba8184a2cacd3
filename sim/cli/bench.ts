/**
 * `npm run bench [-- --json | --markdown] [--sizes 1,10,100,1000] [--strategies US,ECM] [--seed 1 | --seeds K]
 * [--reserved-concurrency K] [--svg docs/bench.svg]`: every strategy at every size, a table (or one JSON object with
 * --json), and the N=100 healthy capacity chart.
 * `--reserved-concurrency K` gives the gate functions K reserved executions (functions.reservedConcurrency; unset:
 * the account's unreserved pool), to show that the gates' cost does not depend on it.
 * `--seed S` runs one seed; `--seeds K` runs seeds 1..K and reports, per strategy and N, the mean of every key plus
 * `makespanSMean`, `makespanSP90`, `makespanRatioP90`, `seeds` and `completedSeeds` (the ratio uses the same seed's
 * T1; N = 1 is run for it even when `--sizes` leaves it out).
 */
import { resolve } from 'node:path';
import { STRATEGY_IDS, type StrategyId } from '../strategies';
import { BENCH_SIZES, formatTable, type BenchRow } from '../report/bench-rows';
import { aggregateBySize, benchSeeds, formatMarkdown, type MultiSeedRow, type SeedRun } from '../report/multi-seed';
import { writeChart, type Series } from '../report/chart';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Single-seed rows in the multi-seed shape (one seed: the mean is the value). */
function aggregateSingle(rows: Record<string, Record<string, BenchRow>>): Record<string, Record<string, MultiSeedRow>> {
  return Object.fromEntries(Object.entries(rows).map(([strategy, byN]) => [strategy, aggregateBySize([byN])]));
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const sizes = (arg('sizes') ?? BENCH_SIZES.join(',')).split(',').map((s) => positiveInteger('sizes', s));
  const strategies = (arg('strategies') ?? STRATEGY_IDS.join(',')).split(',') as StrategyId[];
  for (const s of strategies)
    if (!STRATEGY_IDS.includes(s)) throw new Error(`unknown strategy "${s}" (one of ${STRATEGY_IDS.join(', ')})`);
  const seedsArg = arg('seeds');
  const seeds = seedsArg
    ? Array.from({ length: positiveInteger('seeds', seedsArg) }, (_, i) => i + 1)
    : [Number(arg('seed') ?? 1)];
  const reservedArg = arg('reserved-concurrency');
  const reservedConcurrency =
    reservedArg === undefined ? undefined : positiveInteger('reserved-concurrency', reservedArg);
  const svgPath = resolve(arg('svg') ?? resolve(__dirname, '../../docs/bench.svg'));
  const started = Date.now();
  const single: Record<string, Record<string, BenchRow>> = {};
  const multi: Record<string, Record<string, MultiSeedRow>> = {};
  const chart: Series[] = [];
  const onRun = (run: SeedRun): void => {
    const { strategy, n, seed, result } = run;
    if (n === 100 && sizes.includes(100) && seed === seeds[0]) chart.push({ strategy, points: result.timeline });
    if (result.unsupportedCommands.length > 0)
      process.stderr.write(`unsupported commands: ${result.unsupportedCommands.join(', ')}\n`);
    const outcome = result.completed ? 'completed' : result.failed ? 'failed' : 'unfinished';
    process.stderr.write(`${strategy} N=${n} seed ${seed}: ${outcome} in ${run.wallMs} ms\n`);
  };
  for (const strategy of strategies) {
    const perSeed = await benchSeeds(strategy, sizes, seeds, onRun, undefined, reservedConcurrency);
    single[strategy] = perSeed[0];
    multi[strategy] = aggregateBySize(perSeed);
  }
  if (chart.length > 0 && !process.argv.includes('--no-svg')) {
    const title = `Healthy capacity during an AMI rollout of 100 instances (seed ${seeds[0]})`;
    await writeChart(svgPath, chart, title);
    process.stderr.write(`wrote ${svgPath}\n`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (json) {
    const reserved = reservedConcurrency === undefined ? {} : { reservedConcurrency };
    const body = seedsArg
      ? { seeds: seeds.length, ...reserved, strategies: multi }
      : { ...reserved, strategies: single };
    process.stdout.write(`${JSON.stringify(body)}\n`);
  } else if (process.argv.includes('--markdown')) {
    process.stdout.write(`${formatMarkdown(seedsArg ? multi : aggregateSingle(single))}\n`);
  } else {
    const table = seedsArg ? formatTable(multi, seeds.length) : formatTable(single);
    process.stdout.write(`${table}\n\nbench took ${seconds} s\n`);
  }
  process.stderr.write(`bench took ${seconds} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
