import { runScenario } from '../../sim/run';
import { chaosScenario } from '../../sim/chaos/scenario';
import { addRun, emptySummary, violations } from '../../sim/chaos/invariants';

describe('short chaos run against the real gates', () => {
  it('keeps the invariants under random faults (forced drains are the only tolerated undrained stops)', async () => {
    // GIVEN 80 random cluster shapes and fault mixes
    const summary = emptySummary();
    const unexplained: string[] = [];
    for (let seed = 1000; seed < 1080; seed++) {
      const scenario = chaosScenario(seed);
      const result = await runScenario({
        strategy: 'US',
        seed,
        shape: scenario.shape,
        faults: scenario.faults,
        maxSeconds: 4 * 3600,
      });
      addRun(summary, result);
      // An undrained stop is only acceptable when the gate deliberately forced the drain at maxDrainSeconds
      // (documented gate behaviour, reported as a design issue in docs/simulator.md).
      const broken = violations(result).filter((why) => !(result.forcedDrains > 0 && why.includes('without a drain')));
      if (broken.length > 0) unexplained.push(`seed ${seed}: ${broken.join('; ')}`);
    }
    // THEN nothing else breaks: no unhandled error, no global timeout, every rollout completed or failed safe
    expect(unexplained).toEqual([]);
    expect(summary.runs).toBe(80);
    expect(summary.unhandledErrors).toBe(0);
    expect(summary.hooksHitGlobalTimeout).toBe(0);
    expect(summary.rolloutsCompleted + summary.rolloutsFailedSafe).toBe(80);
  });
});
