import { runScenario } from '../../sim/run';
import { chaosScenario } from '../../sim/chaos/scenario';
import { addRun, emptySummary, violations } from '../../sim/chaos/invariants';
import { NO_FAULTS } from '../../sim/faults';
import type { ClusterShape } from '../../sim/world';

describe('short chaos run against the real gates', () => {
  it('keeps every invariant under random shapes and faults, and accounts for every run', async () => {
    // GIVEN 80 random cluster shapes (every deployment controller, services without headroom) and fault mixes
    const summary = emptySummary();
    const broken: string[] = [];
    for (let seed = 1000; seed < 1080; seed++) {
      const scenario = chaosScenario(seed);
      const result = await runScenario({
        strategy: 'US',
        seed,
        shape: scenario.shape,
        faults: scenario.faults,
        maxSeconds: 4 * 3600,
      });
      for (const why of addRun(summary, result)) broken.push(`seed ${seed}: ${why}`);
    }
    // THEN no task is stopped undrained, no drain forced, no unhandled error, no global timeout
    expect(broken).toEqual([]);
    expect(summary).toMatchObject({
      runs: 80,
      undrainedServiceTaskStops: 0,
      forcedDrains: 0,
      unhandledErrors: 0,
      hooksHitGlobalTimeout: 0,
    });
    // AND every run completed, failed safe or is held for the operator
    expect(summary.rolloutsCompleted + summary.rolloutsFailedSafe + summary.heldForOperator).toBe(80);
  });
});

describe('chaos shapes the gates must not break on (issue 13)', () => {
  const base: ClusterShape = { instances: 4, tasksPerService: 4, serviceTasksPerInstance: 2, daemon: true };
  const run = (shape: ClusterShape, faults = NO_FAULTS) =>
    runScenario({ strategy: 'US', seed: 7, shape, faults, maxSeconds: 4 * 3600 });

  it.each(['CODE_DEPLOY', 'EXTERNAL'] as const)(
    'rolls out services on the %s deployment controller (task sets) without forcing a drain',
    async (controller) => {
      const result = await run({ ...base, deploymentController: controller });
      expect(result).toMatchObject({ completed: true, forcedDrains: 0, undrainedTaskStops: 0, drainsHeld: 0 });
      expect(violations(result)).toEqual([]);
    },
  );

  it('refuses the rollout before any termination when a service cannot be drained, naming it', async () => {
    const result = await run({ ...base, servicesWithoutHeadroom: 1 });
    expect(result).toMatchObject({ completed: false, failedSafe: true, undrainedTaskStops: 0, forcedDrains: 0 });
    expect(result.refusedBecause).toEqual([expect.stringMatching(/singleton-1/)]);
    expect(violations(result)).toEqual([]);
  });

  it('holds a drain whose service lost its headroom mid-rollout, alerts, and never forces it', async () => {
    const lost = { start: 60, end: Number.POSITIVE_INFINITY, serviceIndex: 0 };
    const result = await run(base, { ...NO_FAULTS, headroomLosses: [lost] });
    expect(result).toMatchObject({ completed: false, heldForOperator: true, forcedDrains: 0, undrainedTaskStops: 0 });
    expect(result.drainsHeld).toBeGreaterThan(0);
    expect(result.hooksHitGlobalTimeout).toBe(0);
    expect(violations(result)).toEqual([]);
  });

  it('finishes the held drain once the operator restores the headroom', async () => {
    const lost = { start: 60, end: 1800, serviceIndex: 0 };
    const result = await run(base, { ...NO_FAULTS, headroomLosses: [lost] });
    expect(result).toMatchObject({ completed: true, forcedDrains: 0, undrainedTaskStops: 0 });
    expect(result.drainsHeld).toBeGreaterThan(0);
    expect(result.makespanS).toBeGreaterThan(1800);
  });
});
