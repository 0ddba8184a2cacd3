/**
 * `npm run sensitivity [-- --seeds 5] [--only "API latency"] [--json]`: every assumption of sim/timings.ts halved
 * and doubled (sim/report/sensitivity.ts), seeds 1..K each; prints the mean and p90 makespan and the mean makespan /
 * T1 of the scenario the assumption can move, for halved / as modelled / doubled.
 */
import { ASSUMPTIONS, runSensitivity, type SensitivityResult } from '../report/sensitivity';
import type { MultiSeedRow } from '../report/multi-seed';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const cell = (row: MultiSeedRow): string =>
  `${row.makespanS ?? '—'} s (p90 ${row.makespanSP90 ?? '—'}), /T1 ${row.makespanRatio ?? '—'}` +
  (row.completedSeeds < row.seeds ? `, ${row.seeds - row.completedSeeds} unfinished` : '');

async function main(): Promise<void> {
  const k = Number(arg('seeds') ?? 5);
  const seeds = Array.from({ length: k }, (_, i) => i + 1);
  const only = arg('only');
  const started = Date.now();
  const results: SensitivityResult[] = [];
  for (const assumption of ASSUMPTIONS.filter((a) => !only || a.name === only)) {
    const t0 = Date.now();
    results.push(await runSensitivity(assumption, seeds));
    process.stderr.write(`${assumption.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ seeds: k, results })}\n`);
    return;
  }
  process.stdout.write(`| assumption | run | halved | as modelled | doubled |\n| --- | --- | --- | --- | --- |\n`);
  for (const r of results) {
    const run = `${r.assumption.strategy} N = ${r.assumption.instances}`;
    process.stdout.write(
      `| ${r.assumption.name} | ${run} | ${cell(r.halved)} | ${cell(r.modelled)} | ${cell(r.doubled)} |\n`,
    );
  }
  process.stdout.write(`\nseeds 1..${k}; sensitivity took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
