/**
 * Deterministic property tests (issue 18). Every fast-check run in `npm test` starts from one fixed base seed, so a
 * commit that passes once passes on every run: CI never fails on a case the change did not touch. Exploration with
 * fresh seeds and many more cases is `npm run fuzz` (scripts/fuzz.ts), which sets the variables below.
 *
 * Environment, read here and nowhere else (production code never sees it):
 * - ECS_AMI_ROLLOUT_FUZZ_SEED  base seed of every property (default BASE_SEED);
 * - ECS_AMI_ROLLOUT_FUZZ_RUNS  cases per property (default: fast-check's 100, or the suite's own default);
 * - ECS_AMI_ROLLOUT_FUZZ_PATH  replay only this counterexample path (the fuzz suites honour it; with the seed that
 *   found it);
 * - ECS_AMI_ROLLOUT_FUZZ_REPORT  file to which every finished property appends one JSON line (PropertyReport): how the
 *   exploration runner counts cases and collects failing seeds.
 * A failing property prints fast-check's report (seed, path, counterexample) and the one command that reproduces it.
 */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import fc from 'fast-check';

/** The base seed of `npm test`. Any fixed value works; this one is the issue number and the year it was filed. */
export const BASE_SEED = 182025;

export const SEED_ENV = 'ECS_AMI_ROLLOUT_FUZZ_SEED';
export const RUNS_ENV = 'ECS_AMI_ROLLOUT_FUZZ_RUNS';
export const PATH_ENV = 'ECS_AMI_ROLLOUT_FUZZ_PATH';
export const REPORT_ENV = 'ECS_AMI_ROLLOUT_FUZZ_REPORT';

/** One finished property, as appended to the ECS_AMI_ROLLOUT_FUZZ_REPORT file. */
export interface PropertyReport {
  readonly file: string;
  readonly test: string;
  readonly seed: number;
  /** Cases run (up to and including the first failing one). */
  readonly runs: number;
  readonly failed: boolean;
  readonly path?: string;
  readonly counterexample?: string;
  readonly reproduce?: string;
}

function integerFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * Timeout of a jest test that runs a fuzz property (set per file with jest.setTimeout): generous, because a slow
 * shared machine must never turn a passing property into a failing test; a day when the run count is raised.
 */
export function propertyTestTimeout(): number {
  return integerFromEnv(RUNS_ENV) === undefined ? 300_000 : 86_400_000;
}

/** The seed every property of this run starts from. */
export function baseSeed(): number {
  return integerFromEnv(SEED_ENV) ?? BASE_SEED;
}

/** Cases per property: the exploration run's count when set, else the suite's default. */
export function propertyRuns(defaultRuns: number): number {
  const runs = integerFromEnv(RUNS_ENV);
  if (runs !== undefined && runs < 1) throw new Error(`${RUNS_ENV} must be at least 1, got ${runs}`);
  return runs ?? defaultRuns;
}

/** fast-check parameters of a fuzz property: its run count, and the counterexample path to replay when one is set. */
export function fuzzParameters(defaultRuns: number): { numRuns: number; path?: string } {
  const path = process.env[PATH_ENV];
  return { numRuns: propertyRuns(defaultRuns), ...(path ? { path } : {}) };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The command that replays a failed run of the current test: same seed, same run count, the failing path. */
export function reproduceCommand(details: {
  seed: number;
  counterexamplePath: string | null;
  numRuns: number;
}): string {
  const { testPath, currentTestName } = expect.getState();
  const file = testPath ? relative(process.cwd(), testPath) : '<test file>';
  const name = currentTestName ? ` -t ${shellQuote(`^${escapeRegExp(currentTestName)}$`)}` : '';
  const path = details.counterexamplePath ? ` ${PATH_ENV}=${shellQuote(details.counterexamplePath)}` : '';
  return `${SEED_ENV}=${details.seed} ${RUNS_ENV}=${details.numRuns}${path} npx jest ${file}${name}`;
}

function record(details: fc.RunDetails<unknown>, reproduce: string | undefined): void {
  const file = process.env[REPORT_ENV];
  if (!file) return;
  const { testPath, currentTestName } = expect.getState();
  const report: PropertyReport = {
    file: testPath ? relative(process.cwd(), testPath) : '?',
    test: currentTestName ?? '?',
    seed: details.seed,
    runs: details.numRuns,
    failed: details.failed,
    ...(details.failed
      ? {
          path: details.counterexamplePath ?? undefined,
          counterexample: fc.stringify(details.counterexample).slice(0, 2000),
          reproduce,
        }
      : {}),
  };
  appendFileSync(file, `${JSON.stringify(report)}\n`);
}

/**
 * Fixes the seed of every property in this test file and appends the reproduction command to fast-check's failure
 * report. Called once per test file by setup-jest.ts (each file has its own fast-check module instance).
 */
export function configureProperties(): void {
  const runs = integerFromEnv(RUNS_ENV);
  fc.configureGlobal({ seed: baseSeed(), ...(runs !== undefined ? { numRuns: propertyRuns(runs) } : {}) });
  fc.installGlobalPlugin(() => ({
    onAllRunsComplete: (details) => {
      const command = details.failed
        ? reproduceCommand({
            seed: details.seed,
            counterexamplePath: details.counterexamplePath,
            numRuns: details.runConfiguration.numRuns ?? 100,
          })
        : undefined;
      record(details, command);
      if (!details.failed) return;
      const report = fc.defaultReportMessage(details);
      throw new Error(`${report}\n\nReproduce with:\n  ${command}`, { cause: details.errorInstance });
    },
  }));
}
