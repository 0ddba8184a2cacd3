import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { World, NEW_AMI, OLD_AMI } from '../../sim/world';
import { NO_FAULTS } from '../../sim/faults';
import { releaseScenarios, runReleaseScenario, type ScenarioSpec } from '../../sim/scenarios/ami-release';
import { releaseViolations, summarize, type ReleaseFigures } from '../../sim/scenarios/release-figures';
import { runRelease } from '../../sim/scenarios/ami-release';
import { WATCHER_PARAMETERS as P } from '../../sim/scenarios/watcher';

const HOUR = 3600;
const [GOOD_24H, GOOD_0H, GOOD_SYNC, BAD, PARTIAL] = releaseScenarios(1, 20);

/** Each scenario runs once (≈ 1 s of CPU each) and is shared by the assertions below. */
const cache = new Map<string, Promise<ReleaseFigures>>();
function figures(spec: ScenarioSpec): Promise<ReleaseFigures> {
  if (!cache.has(spec.label)) cache.set(spec.label, runReleaseScenario(spec));
  return cache.get(spec.label) as Promise<ReleaseFigures>;
}

/** Runs a fake client call to completion on the virtual clock. */
async function call<T>(w: World, promise: Promise<T>): Promise<T> {
  let outcome: { value?: T; error?: unknown; done: boolean } = { done: false };
  void promise.then(
    (value) => (outcome = { value, done: true }),
    (error: unknown) => (outcome = { error, done: true }),
  );
  await w.sim.run(w.sim.now + 60, () => outcome.done);
  if (outcome.error !== undefined) throw outcome.error;
  return outcome.value as T;
}

describe('simulated SSM parameter store', () => {
  it('makes an aws:ec2:image write visible only after its asynchronous validation and drops unknown AMIs', async () => {
    // GIVEN a parameter holding the old AMI
    const w = new World({ seed: 2, shape: { instances: 1 }, faults: NO_FAULTS });
    w.ssm.publish('/p/approved', OLD_AMI, 'String', 'aws:ec2:image');
    // WHEN the new AMI is written
    const put = await call(
      w,
      w.clients.ssm.send(
        new PutParameterCommand({
          Name: '/p/approved',
          Value: NEW_AMI,
          Type: 'String',
          DataType: 'aws:ec2:image',
          Overwrite: true,
        }),
      ),
    );
    const right = await call(w, w.clients.ssm.send(new GetParameterCommand({ Name: '/p/approved' })));
    // THEN PutParameter succeeded, but a read right after still returns the old value …
    expect(put.Version).toBe(2);
    expect(right.Parameter.Value).toBe(OLD_AMI);
    // … until SSM validated the AMI
    await w.sim.run(w.sim.now + 60);
    expect((await call(w, w.clients.ssm.send(new GetParameterCommand({ Name: '/p/approved' })))).Parameter.Value).toBe(
      NEW_AMI,
    );
    // AND an AMI EC2 does not know never becomes visible
    await call(
      w,
      w.clients.ssm.send(
        new PutParameterCommand({ Name: '/p/approved', Value: 'ami-0123456789abcdef0', Overwrite: true }),
      ),
    );
    await w.sim.run(w.sim.now + 60);
    expect(w.ssm.value('/p/approved')).toBe(NEW_AMI);
  });

  it('answers ParameterNotFound and refuses to overwrite without Overwrite', async () => {
    const w = new World({ seed: 2, shape: { instances: 1 }, faults: NO_FAULTS });
    w.ssm.publish('/p/state', '{}');
    // THEN an unknown name is ParameterNotFound, and a second create is ParameterAlreadyExists
    await expect(call(w, w.clients.ssm.send(new GetParameterCommand({ Name: '/p/missing' })))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
    await expect(
      call(w, w.clients.ssm.send(new PutParameterCommand({ Name: '/p/state', Value: '[]', Type: 'String' }))),
    ).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
  });
});

describe('AMI release (real watcher + real gates, 20 instances, seed 1)', () => {
  it('good AMI, default policy: detected in 1 h, promoted after 24 h, fleet patched, no undrained stop', async () => {
    // GIVEN AMI B published at t0, min age 24 h, hourly schedule
    const f = await figures(GOOD_24H);
    // THEN the invariants hold and the fleet ends on B
    expect(releaseViolations(f, OLD_AMI, NEW_AMI)).toEqual([]);
    expect(f.detectedS).toBeLessThanOrEqual(HOUR);
    expect(f.promotedS).toBeGreaterThanOrEqual(24 * HOUR);
    expect(f.promotedS as number).toBeLessThanOrEqual(25 * HOUR);
    expect(f.refreshStatus).toBe('Successful');
    expect(f.t1S as number).toBeLessThan(15 * 60);
    // AND release → patched = schedule phase + 24 h + T1: the promotion's read-back misses SSM's asynchronous
    // validation, but SSM's Parameter Store Change event starts the refresh seconds later (before: the next run, +1 h)
    expect(f.refreshStartedS as number).toBeLessThan((f.promotedS as number) + 120);
    expect(f.releaseToPatchedH as number).toBeLessThanOrEqual(1 + 24 + 0.25);
    expect(f.lowestHealthyPct).toBe(100);
    expect(f.undrainedServiceTaskStops).toBe(0);
  });

  it('min age 0: schedule + T1, with synchronous and with asynchronous SSM validation alike', async () => {
    const sync = await figures(GOOD_SYNC);
    const async = await figures(GOOD_0H);
    expect(releaseViolations(sync, OLD_AMI, NEW_AMI)).toEqual([]);
    expect(releaseViolations(async, OLD_AMI, NEW_AMI)).toEqual([]);
    expect(sync.releaseToPatchedH as number).toBeLessThanOrEqual(1 + 0.25);
    expect(async.releaseToPatchedH as number).toBeLessThanOrEqual(1 + 0.25);
  });

  it('bad AMI: launch gate abandons, refresh fails, watcher restores A, denies B, never re-promotes B', async () => {
    // GIVEN instances on B never join the cluster
    const f = await figures(BAD);
    // THEN the refresh failed after repeated failed replacements and the rollback finished with the fleet whole on A
    expect(releaseViolations(f, OLD_AMI, NEW_AMI)).toEqual([]);
    expect(f.refreshStatus).toBe('Failed');
    expect(f.failedReplacements).toBeGreaterThanOrEqual(3);
    expect(f.approvedAtEnd).toBe(OLD_AMI);
    expect(f.deniedAtEnd).toEqual([NEW_AMI]);
    expect(f.fleetAmisAtEnd).toEqual({ [OLD_AMI]: 20 });
    expect(f.rollbackCompleteNotifiedS).not.toBeNull();
    // AND three more hours of schedules only skip B as denied
    expect(f.promotionsOfB).toBe(1);
    expect(f.laterScheduledDecisions).toEqual([`SKIP: ${NEW_AMI} is on the deny list (rolled back before)`]);
    expect(f.undrainedServiceTaskStops).toBe(0);
    expect(f.lowestHealthyPct).toBe(100);
  });

  it('half-bad AMI: instances that joined on B are drained in batches by the drain gate, replaced on A', async () => {
    const f = await figures(PARTIAL);
    expect(releaseViolations(f, OLD_AMI, NEW_AMI)).toEqual([]);
    expect(f.instancesOnBInServiceAtFailure as number).toBeGreaterThan(0);
    expect(f.watcherTerminations).toBe(f.instancesOnBInServiceAtFailure);
    expect(f.fleetAmisAtEnd).toEqual({ [OLD_AMI]: 20 });
    expect(f.undrainedServiceTaskStops).toBe(0);
    // Terminate-before-launch: each batch of one costs one instance of capacity while it drains (MinHealthy 100 %).
    expect(f.lowestHealthyPct).toBeGreaterThanOrEqual(95);
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
    const f = summarize('crash', 'good', run);
    // THEN a refresh still starts, the fleet is patched and B was written at most twice (the re-write)
    expect(releaseViolations(f, OLD_AMI, NEW_AMI).filter((v) => !/promoted 2 times/.test(v))).toEqual([]);
    expect(f.refreshStatus).toBe('Successful');
    expect(f.releaseToPatchedH as number).toBeLessThanOrEqual(maxHours);
    expect(JSON.parse(run.world.ssm.value(P.state) as string)).toMatchObject({
      approved: NEW_AMI,
      refresh: { amiId: NEW_AMI, previousAmiId: OLD_AMI },
    });
  });
});
