/**
 * `npm run chaos -- --runs 1000 --seed 42 [--json]`: run i uses seed (seed + i) with a random cluster shape and fault
 * mix (chaos/scenario.ts), drives the real gates (strategy US) and checks the invariants (chaos/invariants.ts).
 * Exits 1 when any run breaks one and prints each failing seed: `--runs 1 --seed S` reproduces it. Every run ends
 * completed, failed safe (refused or cancelled before a termination) or held for the operator (a drain held at the
 * gate, with a notification): the three add up to `runs`.
 */
import { runScenario } from '../run';
import { chaosScenario } from '../chaos/scenario';
import { addRun, emptySummary } from '../chaos/invariants';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main(): Promise<void> {
  const runs = arg('runs', 1000);
  const seed = arg('seed', 42);
  const json = process.argv.includes('--json');
  const started = Date.now();
  const summary = emptySummary();
  for (let i = 0; i < runs; i++) {
    const scenario = chaosScenario(seed + i);
    const result = await runScenario({
      strategy: 'US',
      seed: scenario.seed,
      shape: scenario.shape,
      faults: scenario.faults,
      maxSeconds: 4 * 3600,
    });
    const broken = addRun(summary, result);
    for (const why of broken) process.stderr.write(`seed ${scenario.seed}: ${why}\n`);
  }
  const { failingSeeds, ...figures } = summary;
  if (json) process.stdout.write(`${JSON.stringify({ ...figures, failingSeeds })}\n`);
  else {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    process.stdout.write(`chaos: ${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    if (failingSeeds.length > 0) {
      process.stdout.write(`failing seeds (reproduce with --runs 1 --seed S): ${failingSeeds.join(' ')}\n`);
    }
  }
  process.exitCode = failingSeeds.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
