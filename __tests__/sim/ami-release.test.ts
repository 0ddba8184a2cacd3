import { NEW_AMI, OLD_AMI } from '../../sim/world';
import { runRelease, scenarioSpec, SCENARIO_NAMES, type ScenarioName } from '../../sim/scenarios/ami-release';
import { releaseViolations, summarize, type ReleaseFigures } from '../../sim/scenarios/release-figures';
import { WATCHER_PARAMETERS as P } from '../../sim/scenarios/watcher';

/** Each scenario runs once (≈ 1–2 s of CPU each at 20 instances) and is shared by the assertions below. */
const cache = new Map<ScenarioName, Promise<ReleaseFigures>>();
function figures(scenario: ScenarioName): Promise<ReleaseFigures> {
  if (!cache.has(scenario)) {
    const spec = scenarioSpec(scenario, 20, 1);
    cache.set(
      scenario,
      runRelease(spec).then((run) => summarize(spec.name, run)),
    );
  }
  return cache.get(scenario) as Promise<ReleaseFigures>;
}

describe('AMI release (real watcher + real gates, 20 instances, seed 1)', () => {
  it.each(SCENARIO_NAMES)('%s meets every requirement of issue 12', async (scenario) => {
    const f = await figures(scenario);
    const good = scenarioSpec(scenario, 20, 1).quality === 'good';
    expect(releaseViolations(f, good, NEW_AMI)).toEqual([]);
    expect(f.lowestHealthyPct).toBeGreaterThanOrEqual(100);
    expect(f.undrainedTaskStops).toBe(0);
  });

  it('good AMI, default policy: detected within an hour, patched 24 h + one rollout after the release', async () => {
    const f = await figures('good-ami');
    expect(f.outcome).toBe('patched');
    expect(f.detectedHours as number).toBeLessThanOrEqual(1);
    expect(f.patchedHours as number).toBeGreaterThanOrEqual(24);
    expect(f.patchedHours as number).toBeLessThanOrEqual(1 + 24 + 0.25);
    expect(f.refreshes.map((r) => r.status)).toEqual(['Successful']);
  });

  it('Terraform apply mid-rollout: the provider cancels our refresh and rolls B out itself; B not denied', async () => {
    const f = await figures('terraform-apply-during-rollout');
    expect(f.refreshes.map((r) => [r.startedBy, r.status])).toEqual([
      ['watcher', 'Cancelled'],
      ['terraform', 'Successful'],
    ]);
    expect(f.deniedAmis).toEqual([]);
    expect(f.notifications).toContainEqual(expect.stringMatching(/cancelled outside the watcher/));
  });

  it('an operator’s cancel: B stays approved and the watcher rolls it out again on its next run', async () => {
    const f = await figures('operator-cancel');
    expect(f.refreshes.map((r) => [r.startedBy, r.status])).toEqual([
      ['watcher', 'Cancelled'],
      ['watcher', 'Successful'],
    ]);
    expect(f.refreshes[1].startedMin - f.refreshes[0].startedMin).toBeLessThanOrEqual(61);
    expect(f.deniedAmis).toEqual([]);
  });

  it('bad AMI: Auto Scaling fails the refresh, the evidence is the gate’s abandons; nothing to replace', async () => {
    const f = await figures('bad-ami');
    expect(f.refreshes.map((r) => r.status)).toEqual(['Failed']);
    expect(f.launchesAbandoned).toBeGreaterThanOrEqual(3);
    expect(f.deniedAmis).toEqual([NEW_AMI]);
    expect(f.promotionsOfB).toBe(1);
    expect(f.rollbackMinutes as number).toBeLessThan(15);
  });

  it('stuck refresh (Auto Scaling never fails it): the watcher cancels it on the evidence and rolls back', async () => {
    const f = await figures('stuck-refresh');
    expect(f.watcherCancels).toBe(1);
    expect(f.refreshes.map((r) => r.status)).toEqual(['Cancelled']);
    expect(f.deniedAmis).toEqual([NEW_AMI]);
  });

  it('half-bad AMI: one refresh of the restored AMI replaces the group, launching first, in minutes', async () => {
    const f = await figures('half-bad-ami');
    expect(f.refreshes.map((r) => r.status)).toEqual(['Failed', 'Successful']);
    expect(f.rollbackMinutes as number).toBeLessThan(15);
    expect(f.lowestHealthyPct).toBe(100);
  });

  it('launch failures during the rollback: nothing terminated, the refresh retried once launches work', async () => {
    const f = await figures('launch-failure-during-rollback');
    expect(f.launchesRefusedByEc2).toBeGreaterThan(0);
    // The rollout fails, every rollback attempt during the outage fails without terminating anything, the last succeeds
    const statuses = f.refreshes.map((r) => r.status);
    expect(statuses[0]).toBe('Failed');
    expect(statuses.slice(1, -1).length).toBeGreaterThanOrEqual(1);
    expect(statuses.slice(1, -1).every((s) => s === 'Failed')).toBe(true);
    expect(statuses[statuses.length - 1]).toBe('Successful');
    expect(f.lowestHealthyPct).toBe(100);
    expect(f.outcome).toBe('rolled-back');
  });
});

describe('AMI release: the watcher dies in the middle of the promotion (good AMI, min age 0, seed 2)', () => {
  const points: [string, (command: string, input: Record<string, unknown>) => boolean, number][] = [
    // The record is written first: without the approved write, the next schedule (≤ 1 h) writes it again.
    [
      'after recording the pending promotion',
      (c, i) => c === 'PutParameter' && i.Name === P.state && String(i.Value).includes('"pending"'),
      2 + 0.25,
    ],
    ['after writing the previous AMI', (c, i) => c === 'PutParameter' && i.Name === P.previous, 2 + 0.25],
    // The crash: approved = B written, nothing after it ran. SSM's event resumes the promotion in seconds.
    [
      'after writing approved = B',
      (c, i) => c === 'PutParameter' && i.Name === P.approved && i.Value === NEW_AMI,
      1 + 0.25,
    ],
  ];
  it.each(points)('%s: the promotion is finished and the fleet ends on B', async (_label, crashAfter, maxHours) => {
    // GIVEN the watcher's runtime dies right after that call
    const run = await runRelease({
      seed: 2,
      instances: 20,
      quality: 'good',
      minAmiAgeHours: 0,
      crashWatcherAfterSsmCall: crashAfter,
    });
    const f = summarize('crash', run);
    // THEN a refresh still starts, the fleet is patched and B was written at most twice (the re-write)
    expect(releaseViolations(f, true, NEW_AMI)).toEqual([]);
    expect(f.promotionsOfB).toBeLessThanOrEqual(2);
    expect(f.refreshes.map((r) => r.status)).toEqual(['Successful']);
    expect(f.patchedHours as number).toBeLessThanOrEqual(maxHours);
    expect(JSON.parse(run.world.ssm.value(P.state) as string)).toMatchObject({
      approved: NEW_AMI,
      refresh: { amiId: NEW_AMI, previousAmiId: OLD_AMI },
    });
  });
});
