/**
 * `npm run sim:release -- [--seed 1] [--instances 20] [--json]`: the AMI release scenarios
 * (sim/scenarios/ami-release.ts) driving the real AMI watcher and the real gates. Prints, per scenario, when the
 * watcher detected and promoted the new AMI, when the refresh started, "release → fleet patched" (good AMI) or how the
 * rollback ended (bad AMI). Exits 1 when an invariant breaks (undrained service-task stop, unhandled error, wrong end
 * state).
 */
import { releaseScenarios, runReleaseScenario } from '../scenarios/ami-release';
import { releaseViolations, type ReleaseFigures } from '../scenarios/release-figures';
import { NEW_AMI, OLD_AMI } from '../world';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const h = (seconds: number | null): string => (seconds === null ? '—' : `${(seconds / 3600).toFixed(2)} h`);
const s = (seconds: number | null): string => (seconds === null ? '—' : `${seconds.toFixed(0)} s`);

function print(f: ReleaseFigures): void {
  const lines = [
    `${f.label} — ${f.instances} instances, seed ${f.seed}`,
    `  detected ${h(f.detectedS)} · promoted ${h(f.promotedS)} (visible ${h(f.approvedVisibleS)}) · ` +
      `refresh started ${h(f.refreshStartedS)} · refresh ${f.refreshStatus ?? '—'} at ${h(f.refreshEndedS)}`,
  ];
  if (f.quality === 'good') {
    lines.push(`  release → fleet patched ${f.releaseToPatchedH ?? '—'} h (T1 ${s(f.t1S)})`);
  } else {
    const after = (t: number | null): string =>
      t === null || f.refreshEndedS === null ? '—' : `${(t - f.refreshEndedS).toFixed(0)} s`;
    lines.push(
      `  failed replacements ${f.failedReplacements} · instances InService on B at failure ` +
        `${f.instancesOnBInServiceAtFailure} · restore written +${after(f.rollbackStartedS)} · rollback ` +
        `complete +${after(f.rollbackCompleteNotifiedS)} · fleet whole on A +${after(f.outcomeS)}`,
      `  watcher terminations ${f.watcherTerminations} · approved ${f.approvedAtEnd} ` +
        `· denied ${f.deniedAtEnd.join(',') || '—'} · promotions of B ${f.promotionsOfB} ` +
        `· later schedules: ${f.laterScheduledDecisions.join(' / ') || '—'}`,
    );
  }
  lines.push(
    `  lowest healthy ${f.lowestHealthyPct} % · undrained stops ${f.undrainedServiceTaskStops} · ` +
      `watcher invocations ${f.watcherInvocations} · fleet at end ${JSON.stringify(f.fleetAmisAtEnd)}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const seed = arg('seed', 1);
  const instances = arg('instances', 20);
  const json = process.argv.includes('--json');
  const results: (ReleaseFigures & { violations: string[] })[] = [];
  for (const spec of releaseScenarios(seed, instances)) {
    const figures = await runReleaseScenario(spec);
    const violations = releaseViolations(figures, OLD_AMI, NEW_AMI);
    results.push({ ...figures, violations });
    if (!json) {
      print(figures);
      for (const why of violations) process.stdout.write(`  VIOLATION: ${why}\n`);
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exitCode = results.some((r) => r.violations.length > 0) ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
