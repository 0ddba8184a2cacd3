/**
 * Figures of an AMI release run, all in seconds after the release (t0) unless named otherwise. "Release → fleet
 * patched" is the headline: schedule interval + minAmiAgeHours + about one T1 is what the watcher's README promises.
 */
import { WATCHER_PARAMETERS } from './watcher';
import type { AmiQuality, ReleaseRun } from './ami-release';

export interface ReleaseFigures {
  readonly label: string;
  readonly quality: AmiQuality;
  readonly seed: number;
  readonly instances: number;
  readonly minAmiAgeHours: number;
  /** First watcher run that saw B in the source parameter. */
  readonly detectedS: number | null;
  /** PutParameter approved = B. */
  readonly promotedS: number | null;
  /** SSM's async validation made B visible in the approved parameter. */
  readonly approvedVisibleS: number | null;
  readonly refreshStartedS: number | null;
  readonly refreshStatus: string | null;
  readonly refreshEndedS: number | null;
  /** good: every instance InService on B, services stable. bad/partial: the rollback finished, every instance on A. */
  readonly outcomeS: number | null;
  /** good: outcome − refresh start (one rollout). */
  readonly t1S: number | null;
  readonly releaseToPatchedH: number | null;
  readonly lowestHealthyPct: number;
  readonly undrainedServiceTaskStops: number;
  readonly undrainedDetails: readonly string[];
  readonly watcherInvocations: number;
  readonly watcherErrors: readonly string[];
  readonly unhandledErrors: readonly string[];
  readonly unsupportedCommands: readonly string[];
  // --- rollback (bad / partial) -------------------------------------------------------------------------------------
  readonly failedReplacements: number | null;
  /** PutParameter approved = A after the failure. */
  readonly rollbackStartedS: number | null;
  readonly rollbackCompleteNotifiedS: number | null;
  readonly instancesLaunchedOnB: number;
  readonly instancesOnBInServiceAtFailure: number | null;
  readonly watcherTerminations: number;
  readonly approvedAtEnd: string | null;
  readonly deniedAtEnd: readonly string[];
  readonly fleetAmisAtEnd: Readonly<Record<string, number>>;
  /** PutParameter approved = B over the whole run (1 = never promoted again). */
  readonly promotionsOfB: number;
  /** Decisions of the scheduled runs after the outcome (e.g. "SKIP: ami-… is on the deny list"). */
  readonly laterScheduledDecisions: readonly string[];
  readonly notifications: readonly string[];
  readonly simulatedHours: number;
}

const r1 = (value: number | undefined | null): number | null =>
  value === undefined || value === null ? null : Number(value.toFixed(1));

export function summarize(label: string, quality: AmiQuality, run: ReleaseRun): ReleaseFigures {
  const { world, watcher, releasedAt, outcomeAt } = run;
  const A = world.oldAmiId;
  const B = world.newAmiId;
  const since = (t: number | undefined): number | null => (t === undefined ? null : r1(t - releasedAt));
  const approvedWrites = world.ssm.writes.filter((w) => w.name === WATCHER_PARAMETERS.approved && w.at > releasedAt);
  const promotion = approvedWrites.find((w) => w.value === B);
  const restore = promotion ? approvedWrites.find((w) => w.value === A && w.at > promotion.at) : undefined;
  const detected = watcher.invocations.find((i) => i.t >= releasedAt && i.result.outcomes.some((o) => o.amiId === B));
  const refresh = world.asg.refreshes[0];
  const complete = watcher.notifications.find((n) => n.title.startsWith('Rollback complete'));
  const fleet: Record<string, number> = {};
  for (const instance of world.asg.instances.values()) fleet[instance.imageId] = (fleet[instance.imageId] ?? 0) + 1;
  const denied = JSON.parse(world.ssm.value(WATCHER_PARAMETERS.denyList) ?? '[]') as string[];
  const later = watcher.invocations
    .filter((i) => outcomeAt !== undefined && i.t > outcomeAt && i.event === 'Scheduled Event')
    .flatMap((i) => i.result.outcomes.map((o) => `${o.decision}: ${o.reason.split(';')[0]}`));
  const m = world.metrics;
  return {
    label,
    quality,
    seed: world.options.seed,
    instances: world.options.shape.instances,
    minAmiAgeHours: watcher.config.policy.minAmiAgeHours,
    detectedS: since(detected?.t),
    promotedS: since(promotion?.at),
    approvedVisibleS: since(promotion?.visibleAt),
    refreshStartedS: since(refresh?.startedAt),
    refreshStatus: refresh?.status ?? null,
    refreshEndedS: since(refresh?.endedAt),
    outcomeS: since(outcomeAt),
    t1S: quality === 'good' && outcomeAt !== undefined && refresh ? r1(outcomeAt - refresh.startedAt) : null,
    releaseToPatchedH:
      quality === 'good' && outcomeAt !== undefined ? Number(((outcomeAt - releasedAt) / 3600).toFixed(2)) : null,
    lowestHealthyPct: Number(m.lowestHealthyPct.toFixed(1)),
    undrainedServiceTaskStops: m.undrainedServiceTaskStops,
    undrainedDetails: m.undrainedDetails.slice(0, 5),
    watcherInvocations: watcher.invocations.length,
    watcherErrors: watcher.problems.filter((p) => p.level === 'error').map((p) => `${p.t.toFixed(0)}s ${p.message}`),
    unhandledErrors: m.unhandledErrors.map((e) => `${e.fn}@${e.at.toFixed(0)}s ${e.message}`),
    unsupportedCommands: [...m.unsupported],
    failedReplacements: refresh ? refresh.failedReplacements : null,
    rollbackStartedS: since(restore?.at),
    rollbackCompleteNotifiedS: since(complete?.t),
    instancesLaunchedOnB: [...world.ec2.instances.values()].filter((i) => i.imageId === B).length,
    instancesOnBInServiceAtFailure: refresh?.inServiceOnTargetAtEnd ?? null,
    watcherTerminations: m.apiCalls.get('AutoScaling.TerminateInstanceInAutoScalingGroup') ?? 0,
    approvedAtEnd: world.ssm.value(WATCHER_PARAMETERS.approved) ?? null,
    deniedAtEnd: denied,
    fleetAmisAtEnd: fleet,
    promotionsOfB: world.ssm.writes.filter((w) => w.name === WATCHER_PARAMETERS.approved && w.value === B).length,
    laterScheduledDecisions: [...new Set(later)],
    notifications: watcher.notifications.map((n) => `${since(n.t)}s ${n.kind}: ${n.title}`),
    simulatedHours: Number(((world.sim.now - run.measureStart) / 3600).toFixed(2)),
  };
}

/**
 * Invariants of the issue: good → fleet on B; bad → fleet back on A, B denied and never promoted again; never
 * undrained.
 */
export function releaseViolations(f: ReleaseFigures, oldAmi: string, newAmi: string): string[] {
  const broken: string[] = [];
  if (f.outcomeS === null) broken.push('outcome not reached');
  if (f.undrainedServiceTaskStops > 0) broken.push(`${f.undrainedServiceTaskStops} undrained service-task stop(s)`);
  if (f.unhandledErrors.length + f.watcherErrors.length > 0)
    broken.push(`errors: ${[...f.unhandledErrors, ...f.watcherErrors].slice(0, 2).join(' | ')}`);
  if (f.unsupportedCommands.length > 0) broken.push(`unsupported: ${f.unsupportedCommands.join(', ')}`);
  if (f.promotionsOfB !== 1) broken.push(`${newAmi} promoted ${f.promotionsOfB} times`);
  const target = f.quality === 'good' ? newAmi : oldAmi;
  if (Object.keys(f.fleetAmisAtEnd).some((ami) => ami !== target))
    broken.push(`fleet at end: ${JSON.stringify(f.fleetAmisAtEnd)}`);
  if (f.quality !== 'good' && !f.deniedAtEnd.includes(newAmi)) broken.push(`${newAmi} not denied`);
  if (f.quality !== 'good' && f.approvedAtEnd !== oldAmi) broken.push(`approved at end ${f.approvedAtEnd}`);
  return broken;
}
