/**
 * `npm run sim:critical-path [-- --strategy US] [--sizes 100] [--seeds 20] [--json]`: for seeds 1..K, the bench's
 * scenario at N = 1 (T1) and at each size, and where each run's time went (sim/report/critical-path.ts): the last
 * replacement's registration and launch gate, the refresh's last termination, the drain of the old instance terminated
 * last (gate → DRAINING, ECS drain, gate → completion, EC2 shutdown), the gate seconds on that path, and the Auto
 * Scaling calls. Prints one line per seed and size, then the means (and the p90 of makespan / T1) per size.
 */
import { BACKGROUND_FAULTS } from '../faults';
import { percentile } from '../metrics';
import { criticalPath, type CriticalPath } from '../report/critical-path';
import { maxSecondsFor } from '../report/bench-rows';
import { runScenario } from '../run';
import { STRATEGY_IDS, type StrategyId } from '../strategies';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

interface SeedPath extends CriticalPath {
  readonly seed: number;
  readonly n: number;
  readonly makespanS: number | null;
  readonly ratio: number | null;
}

async function measure(strategy: StrategyId, n: number, seed: number): Promise<Omit<SeedPath, 'ratio'>> {
  let path: CriticalPath | undefined;
  const result = await runScenario({
    strategy,
    seed,
    shape: { instances: n },
    faults: BACKGROUND_FAULTS,
    maxSeconds: maxSecondsFor(strategy, n),
    inspect: (world, start) => {
      path = criticalPath(world, start);
    },
  });
  return { seed, n, makespanS: result.makespanS, ...(path as CriticalPath) };
}

const mean = (values: readonly (number | null | undefined)[]): number | null => {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length === 0 ? null : Number((present.reduce((a, b) => a + b, 0) / present.length).toFixed(1));
};

function summary(rows: readonly SeedPath[]): Record<string, number | null> {
  const ratios = rows.map((r) => r.ratio).filter((v): v is number => v !== null);
  return {
    makespanS: mean(rows.map((r) => r.makespanS)),
    ratio: ratios.length > 0 ? Number((ratios.reduce((a, b) => a + b, 0) / ratios.length).toFixed(3)) : null,
    ratioP90: percentile(ratios, 90),
    lastRegisteredS: mean(rows.map((r) => r.lastInService?.registeredS)),
    launchGateS: mean(rows.map((r) => r.lastInService?.launchGateS)),
    lastInServiceS: mean(rows.map((r) => r.lastInService?.inServiceS)),
    lastTerminationS: mean(rows.map((r) => r.lastTerminationS)),
    lastTerminatedStartS: mean(rows.map((r) => r.lastTerminated?.terminationS)),
    toDrainingS: mean(rows.map((r) => r.lastTerminated?.toDrainingS)),
    ecsDrainS: mean(rows.map((r) => r.lastTerminated?.ecsDrainS)),
    drainGateS: mean(rows.map((r) => r.lastTerminated?.drainGateS)),
    shutdownS: mean(rows.map((r) => r.lastTerminated?.shutdownS)),
    gateS: mean(rows.map((r) => r.gateS)),
    throttledCalls: mean(rows.map((r) => r.throttledCalls)),
  };
}

async function main(): Promise<void> {
  const strategy = (arg('strategy') ?? 'US') as StrategyId;
  if (!STRATEGY_IDS.includes(strategy)) throw new Error(`unknown strategy "${strategy}"`);
  const sizes = (arg('sizes') ?? '100').split(',').map(Number);
  const k = Number(arg('seeds') ?? 5);
  const rows: SeedPath[] = [];
  for (let seed = 1; seed <= k; seed++) {
    const t1 = await measure(strategy, 1, seed);
    rows.push({ ...t1, ratio: 1 });
    for (const n of sizes.filter((size) => size !== 1)) {
      const run = await measure(strategy, n, seed);
      const ratio = run.makespanS !== null && t1.makespanS ? Number((run.makespanS / t1.makespanS).toFixed(3)) : null;
      rows.push({ ...run, ratio });
    }
  }
  const bySize = [1, ...sizes.filter((size) => size !== 1)].map((n) => ({
    n,
    ...summary(rows.filter((r) => r.n === n)),
  }));
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ strategy, seeds: k, rows, means: bySize })}\n`);
    return;
  }
  for (const r of rows) {
    const l = r.lastInService;
    const t = r.lastTerminated;
    process.stdout.write(
      `seed ${r.seed} N=${r.n}: ${r.makespanS ?? '—'} s (/T1 ${r.ratio ?? '—'}); last registered ${l?.registeredS}` +
        ` (+${l?.launchGateS} gate) InService ${l?.inServiceS}; last termination ${r.lastTerminationS};` +
        ` terminated last ${t?.instanceId} from ${t?.terminationS}: +${t?.toDrainingS} to DRAINING, ECS drain` +
        ` ${t?.ecsDrainS}, +${t?.drainGateS} gate, shutdown ${t?.shutdownS}; gates ${r.gateS} s\n`,
    );
  }
  for (const m of bySize) process.stdout.write(`means N=${m.n}: ${JSON.stringify(m)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
