/**
 * `npm run sim:release -- [--json] [--sizes 20,100] [--seed 1] [--seeds K] [--scenarios good-ami,bad-ami]`: the AMI
 * release scenarios (sim/scenarios/ami-release.ts) driving the real AMI watcher and the real gates. `--json` prints
 * `{"scenarios": [...]}`, one object per scenario and size (`name@N`). With `--seeds K` (seeds 1..K) each object holds
 * the multi-seed view: `outcome` when every seed agrees (else "mixed"), means of the times with their p90 next to them,
 * the lowest healthy percentage, the most undrained stops and refreshes of any seed, the union of denied AMIs.
 * Exits 1 when a requirement of issue 12 breaks (release-figures.ts). `--sensitivity [--seeds K] [--sizes N]` prints
 * the sensitivity table of the release figures to the assumptions of docs/aws-contract.md (release-sensitivity.ts).
 */
import { percentile } from '../metrics';
import { runRelease, scenarioSpec, SCENARIO_NAMES, type ScenarioName } from '../scenarios/ami-release';
import { releaseViolations, summarize, type ReleaseFigures } from '../scenarios/release-figures';
import { releaseSensitivity } from '../scenarios/release-sensitivity';
import { NEW_AMI } from '../world';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const SENSITIVITY_HEADER =
  '| assumption | scenario · figure | halved | as modelled | doubled |\n| --- | --- | --- | --- | --- |';

type Row = Record<string, unknown> & { name: string; violations: string[] };

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(2));
const p90 = (values: number[]): number | null => percentile(values, 90);
const present = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null);

/** Seed 1's object when one seed ran; otherwise the multi-seed view described above. */
function combine(runs: ReleaseFigures[], good: boolean): Row {
  const [firstRun] = runs;
  const violations = [
    ...new Set(runs.flatMap((f) => releaseViolations(f, good, NEW_AMI).map((v) => `seed ${f.seed}: ${v}`))),
  ];
  if (runs.length === 1) return { ...firstRun, violations };
  const outcomes = new Set(runs.map((f) => f.outcome));
  const patched = present(runs.map((f) => f.patchedHours));
  const rollback = present(runs.map((f) => f.rollbackMinutes));
  return {
    name: firstRun.name,
    outcome: outcomes.size === 1 ? firstRun.outcome : 'mixed',
    patchedHours: mean(patched),
    patchedHoursP90: p90(patched),
    deniedAmis: [...new Set(runs.flatMap((f) => f.deniedAmis))],
    lowestHealthyPct: Math.min(...runs.map((f) => f.lowestHealthyPct)),
    undrainedTaskStops: Math.max(...runs.map((f) => f.undrainedTaskStops)),
    refreshesStarted: Math.max(...runs.map((f) => f.refreshesStarted)),
    refreshesStartedMean: mean(runs.map((f) => f.refreshesStarted)),
    rollbackMinutes: mean(rollback),
    rollbackMinutesP90: p90(rollback),
    watcherCancelsMean: mean(runs.map((f) => f.watcherCancels)),
    seeds: runs.map((f) => f.seed),
    instances: firstRun.instances,
    violations,
  };
}

function line(row: Row): string {
  const fields = [
    'outcome',
    'patchedHours',
    'rollbackMinutes',
    'lowestHealthyPct',
    'undrainedTaskStops',
    'refreshesStarted',
  ];
  const denied = (row.deniedAmis as string[]).join(',') || '—';
  const values = fields.map((key) => `${key} ${row[key] ?? '—'}`).join(' · ');
  const violations = row.violations.map((v) => `\n  VIOLATION: ${v}`).join('');
  return `${row.name.padEnd(40)} ${values} · denied ${denied}${violations}`;
}

async function main(): Promise<void> {
  if (process.argv.includes('--sensitivity')) {
    const rows = await releaseSensitivity(Number(arg('seeds') ?? 3), Number(arg('sizes') ?? 20));
    process.stdout.write(`${[SENSITIVITY_HEADER, ...rows].join('\n')}\n`);
    return;
  }
  const json = process.argv.includes('--json');
  const sizes = (arg('sizes') ?? '20,100').split(',').map(Number);
  const firstSeed = Number(arg('seed') ?? 1);
  const seeds = Number(arg('seeds') ?? 1);
  const names = (arg('scenarios')?.split(',') ?? [...SCENARIO_NAMES]) as ScenarioName[];
  const rows: Row[] = [];
  for (const instances of sizes) {
    for (const scenario of names) {
      const runs: ReleaseFigures[] = [];
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
        const t0 = Date.now();
        const spec = scenarioSpec(scenario, instances, seed);
        runs.push(summarize(spec.name, await runRelease(spec)));
        process.stderr.write(`${spec.name} seed ${seed}: ${runs[runs.length - 1].outcome} in ${Date.now() - t0} ms\n`);
      }
      const row = combine(runs, scenarioSpec(scenario, instances, firstSeed).quality === 'good');
      rows.push(row);
      if (!json) process.stdout.write(`${line(row)}\n`);
    }
  }
  if (json) process.stdout.write(`${JSON.stringify({ scenarios: rows })}\n`);
  process.exitCode = rows.some((r) => r.violations.length > 0) ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
