/**
 * Figures of an AMI release run, as `npm run sim:release -- --json` prints them (one object per scenario), and the
 * requirements of issue 12 they must meet. Times are hours after the release (t0) unless named otherwise.
 */
import type { ReleaseRun } from './release-types';
import { WATCHER_PARAMETERS } from './watcher';

export type Outcome = 'patched' | 'rolled-back' | 'held';

export interface ReleaseFigures {
  readonly name: string;
  readonly outcome: Outcome;
  /** Release → every instance InService on B, services stable. */
  readonly patchedHours: number | null;
  readonly deniedAmis: readonly string[];
  readonly lowestHealthyPct: number;
  readonly undrainedTaskStops: number;
  readonly refreshesStarted: number;
  // --- beyond the required keys ---------------------------------------------------------------------------------
  readonly seed: number;
  readonly instances: number;
  /** Release → the rollback was over (B denied, A approved, every instance on A). */
  readonly rolledBackHours: number | null;
  /** End of the watcher's first refresh → the rollback was over, in minutes. */
  readonly rollbackMinutes: number | null;
  readonly detectedHours: number | null;
  /** The watcher's first refresh started → patched (one rollout, T1, plus any resumption). */
  readonly rolloutMinutes: number | null;
  /** approved = B written → the watcher's first refresh started (SSM's asynchronous validation in between). */
  readonly promotionToRefreshSeconds: number | null;
  /** Each refresh: who started it, how it ended, minutes after t0. */
  readonly refreshes: readonly {
    readonly startedBy: string;
    readonly status: string;
    readonly reason?: string;
    readonly startedMin: number;
    readonly endedMin: number | null;
  }[];
  readonly watcherCancels: number;
  readonly launchesAbandoned: number;
  readonly launchesRefusedByEc2: number;
  readonly promotionsOfB: number;
  readonly watcherInvocations: number;
  readonly errors: readonly string[];
  readonly notifications: readonly string[];
  readonly simulatedHours: number;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

function outcomeOf(run: ReleaseRun, denied: readonly string[]): Outcome {
  const { world } = run;
  const approved = world.ssm.value(WATCHER_PARAMETERS.approved);
  const on = (ami: string) => [...world.asg.instances.values()].every((i) => i.imageId === ami);
  if (
    run.patchedAt !== undefined &&
    approved === world.newAmiId &&
    !denied.includes(world.newAmiId) &&
    on(world.newAmiId)
  )
    return 'patched';
  if (
    run.rolledBackAt !== undefined &&
    approved === world.oldAmiId &&
    denied.includes(world.newAmiId) &&
    on(world.oldAmiId)
  )
    return 'rolled-back';
  return 'held';
}

export function summarize(name: string, run: ReleaseRun): ReleaseFigures {
  const { world, watcher, releasedAt } = run;
  const hours = (t: number | undefined): number | null => (t === undefined ? null : round((t - releasedAt) / 3600));
  const minutes = (t: number | undefined | null): number | null =>
    t === undefined || t === null ? null : round((t - releasedAt) / 60, 1);
  const denied = JSON.parse(world.ssm.value(WATCHER_PARAMETERS.denyList) ?? '[]') as string[];
  const first = world.asg.refreshes[0];
  const promotion = world.ssm.writes.find((w) => w.name === WATCHER_PARAMETERS.approved && w.value === world.newAmiId);
  const detected = watcher.invocations.find(
    (i) => i.t >= releasedAt && i.result.outcomes.some((o) => o.amiId === world.newAmiId),
  );
  const m = world.metrics;
  const cancels = watcher.invocations.flatMap((i) => i.result.outcomes).filter((o) => o.decision.startsWith('CANCEL_'));
  const abandoned = world.asg.activities.filter(
    (a) => a.Description.startsWith('Launching a new EC2 instance: ') && a.StatusCode === 'Cancelled',
  ).length;
  return {
    name,
    outcome: outcomeOf(run, denied),
    patchedHours: hours(run.patchedAt),
    deniedAmis: denied,
    lowestHealthyPct: round(m.lowestHealthyPct, 1),
    undrainedTaskStops: m.undrainedServiceTaskStops,
    refreshesStarted: world.asg.refreshes.length,
    seed: run.options.seed,
    instances: run.options.instances,
    rolledBackHours: hours(run.rolledBackAt),
    rollbackMinutes:
      run.rolledBackAt !== undefined && first?.endedAt !== undefined
        ? round((run.rolledBackAt - first.endedAt) / 60, 1)
        : null,
    detectedHours: hours(detected?.t),
    rolloutMinutes:
      run.patchedAt !== undefined && first !== undefined ? round((run.patchedAt - first.startedAt) / 60, 1) : null,
    promotionToRefreshSeconds:
      promotion !== undefined && first !== undefined ? round(first.startedAt - promotion.at, 1) : null,
    refreshes: world.asg.refreshes.map((r, i) => ({
      startedBy: run.refreshes[i]?.startedBy ?? 'watcher',
      status: r.status,
      ...(r.statusReason ? { reason: r.statusReason } : {}),
      startedMin: minutes(r.startedAt) as number,
      endedMin: minutes(r.endedAt),
    })),
    watcherCancels: cancels.length,
    launchesAbandoned: abandoned,
    launchesRefusedByEc2: world.ec2.refusedLaunches,
    promotionsOfB: world.ssm.writes.filter((w) => w.name === WATCHER_PARAMETERS.approved && w.value === world.newAmiId)
      .length,
    watcherInvocations: watcher.invocations.length,
    errors: [
      ...m.unhandledErrors.map((e) => `${e.fn}@${e.at.toFixed(0)}s ${e.message}`),
      ...watcher.problems.filter((p) => p.level === 'error').map((p) => `${p.t.toFixed(0)}s ${p.message}`),
      ...[...m.unsupported].map((c) => `unsupported ${c}`),
    ],
    notifications: watcher.notifications.map((n) => `${minutes(n.t)} min ${n.severity} ${n.kind}: ${n.title}`),
    simulatedHours: round((world.sim.now - run.measureStart) / 3600),
  };
}

/** Issue 12's requirements for a scenario that releases `quality` ('good' | 'bad' | 'partial'). */
export function releaseViolations(f: ReleaseFigures, good: boolean, newAmi: string): string[] {
  const broken: string[] = [];
  if (good && f.outcome !== 'patched') broken.push(`outcome ${f.outcome}, expected patched`);
  if (good && f.deniedAmis.length > 0) broken.push(`denied ${f.deniedAmis.join(',')} although the AMI is good`);
  if (!good && f.outcome !== 'rolled-back') broken.push(`outcome ${f.outcome}, expected rolled-back`);
  if (!good && !f.deniedAmis.includes(newAmi)) broken.push(`${newAmi} not denied`);
  if (f.lowestHealthyPct < 100) broken.push(`lowest healthy ${f.lowestHealthyPct} % < 100 %`);
  if (f.undrainedTaskStops > 0) broken.push(`${f.undrainedTaskStops} undrained service-task stop(s)`);
  if (f.errors.length > 0) broken.push(`errors: ${f.errors.slice(0, 2).join(' | ')}`);
  return broken;
}
