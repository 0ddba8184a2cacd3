/**
 * `npm run fuzz -- --runs N [--seed S] [--target gates,watcher,monitor,cli,decisions]`: the exploration run (issue 18).
 *
 * `npm test` runs every property from one fixed seed (deterministic: it never fails on a case the change did not
 * touch). This runner draws a fresh seed per target (or uses `--seed`), runs every property of the target with N
 * cases, and prints the seed, the counterexample and the one command that reproduces each failure. Targets run one
 * after the other, each in one jest process on one core (run it under `flock /work/brief/cpu.lock` on shared boxes).
 * Exit code 0 only when every property of every target held.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATH_ENV, PropertyReport, REPORT_ENV, RUNS_ENV, SEED_ENV } from '../__tests__/support/property-runs';
import { FUZZ_TARGETS } from './fuzz-targets';

const USAGE = `usage: npm run fuzz -- --runs N [--seed S] [--target ${Object.keys(FUZZ_TARGETS).join(',')}]`;

interface Options {
  readonly runs: number;
  readonly seed?: number;
  readonly targets: readonly string[];
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    if (index < 0) return undefined;
    const next = argv[index + 1];
    if (next === undefined || next.startsWith('--')) fail(`--${name} needs a value`);
    return next;
  };
  const integer = (name: string): number | undefined => {
    const raw = value(name);
    if (raw === undefined) return undefined;
    const parsed = Number(raw);
    if (!Number.isSafeInteger(parsed)) fail(`--${name} must be an integer, got ${raw}`);
    return parsed;
  };
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const runs = integer('runs') ?? fail('--runs is required');
  if (runs < 1) fail('--runs must be at least 1');
  const targets = (value('target') ?? Object.keys(FUZZ_TARGETS).join(',')).split(',').filter(Boolean);
  const unknown = targets.filter((target) => !Object.hasOwn(FUZZ_TARGETS, target));
  if (unknown.length > 0) fail(`unknown target ${unknown.join(', ')}`);
  return { runs, seed: integer('seed'), targets };
}

interface TargetResult {
  readonly target: string;
  readonly seed: number;
  readonly seconds: number;
  readonly jestExit: number | null;
  readonly properties: readonly PropertyReport[];
}

function runTarget(target: string, runs: number, seed: number, workDir: string): TargetResult {
  const report = join(workDir, `${target}.jsonl`);
  const started = Date.now();
  process.stdout.write(`\n== ${target}: seed ${seed}, ${runs} cases per property\n`);
  const jest = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--runInBand', '--testTimeout=86400000', ...FUZZ_TARGETS[target]],
    {
      stdio: 'inherit',
      env: { ...process.env, [SEED_ENV]: String(seed), [RUNS_ENV]: String(runs), [REPORT_ENV]: report, [PATH_ENV]: '' },
    },
  );
  const properties = existsSync(report)
    ? readFileSync(report, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as PropertyReport)
    : [];
  return { target, seed, seconds: (Date.now() - started) / 1000, jestExit: jest.status, properties };
}

function summarize(results: readonly TargetResult[], runs: number): boolean {
  let ok = true;
  let cases = 0;
  process.stdout.write(`\nfuzz summary (${runs} cases per property)\n`);
  for (const result of results) {
    const failed = result.properties.filter((property) => property.failed);
    const targetCases = result.properties.reduce((sum, property) => sum + property.runs, 0);
    cases += targetCases;
    const held = result.jestExit === 0 && failed.length === 0;
    ok &&= held;
    process.stdout.write(
      `  ${result.target.padEnd(10)} seed ${String(result.seed).padEnd(11)} ${result.properties.length} properties, ` +
        `${targetCases} cases, ${result.seconds.toFixed(0)} s: ${held ? 'ok' : 'FAILED'}\n`,
    );
    if (!held && failed.length === 0) process.stdout.write(`    jest exited with ${result.jestExit} (see above)\n`);
    for (const property of failed) {
      process.stdout.write(
        `    FAILED ${property.file} › ${property.test}\n` +
          `      seed ${property.seed}, path ${property.path ?? '?'}\n` +
          `      counterexample ${property.counterexample ?? '?'}\n` +
          `      reproduce: ${property.reproduce ?? '?'}\n`,
      );
    }
  }
  process.stdout.write(`  ${cases} cases in all\n`);
  return ok;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'ecs-ami-rollout-fuzz-'));
  try {
    const results = options.targets.map((target) =>
      runTarget(target, options.runs, options.seed ?? randomInt(1, 2 ** 31 - 1), workDir),
    );
    process.exitCode = summarize(results, options.runs) ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main();
