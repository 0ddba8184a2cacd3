/**
 * `npm run bench [-- --json] [--sizes 1,10,100,1000] [--strategies US,ECM] [--seed 1] [--svg docs/bench.svg]`:
 * every strategy at every size on the same seed, a table (or one JSON object with --json), and the N=100 healthy
 * capacity chart.
 */
import { resolve } from 'node:path';
import { STRATEGY_IDS, type StrategyId } from '../strategies';
import { BENCH_SIZES, benchScenario, formatTable, toRow, type BenchRow } from '../report/bench-rows';
import { writeChart, type Series } from '../report/chart';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const sizes = (arg('sizes') ?? BENCH_SIZES.join(',')).split(',').map(Number);
  const strategies = (arg('strategies') ?? STRATEGY_IDS.join(',')).split(',') as StrategyId[];
  const seed = Number(arg('seed') ?? 1);
  const svgPath = resolve(arg('svg') ?? resolve(__dirname, '../../docs/bench.svg'));
  const started = Date.now();
  const rows: Record<string, Record<string, BenchRow>> = {};
  const chart: Series[] = [];
  for (const strategy of strategies) {
    rows[strategy] = {};
    let t1: number | null = null;
    for (const n of [...sizes].sort((a, b) => a - b)) {
      const t0 = Date.now();
      const result = await benchScenario(strategy, n, seed);
      if (n === 1) t1 = result.makespanS;
      rows[strategy][String(n)] = toRow(result, t1);
      if (n === 100) chart.push({ strategy, points: result.timeline });
      if (result.unsupportedCommands.length > 0)
        process.stderr.write(`unsupported commands: ${result.unsupportedCommands.join(', ')}\n`);
      process.stderr.write(
        `${strategy} N=${n}: ${result.completed ? 'completed' : result.failed ? 'failed' : 'unfinished'} ` +
          `in ${Date.now() - t0} ms\n`,
      );
    }
  }
  if (chart.length > 0 && !process.argv.includes('--no-svg')) {
    await writeChart(svgPath, chart, `Healthy capacity during an AMI rollout of 100 instances (seed ${seed})`);
    process.stderr.write(`wrote ${svgPath}\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify({ strategies: rows })}\n`);
  else process.stdout.write(`${formatTable(rows)}\n\nbench took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
