import { BACKGROUND_FAULTS } from '../../sim/faults';
import { criticalPath, type CriticalPath } from '../../sim/report/critical-path';
import { runScenario } from '../../sim/run';

async function pathOf(instances: number, seed: number): Promise<{ path: CriticalPath; makespanS: number | null }> {
  let path: CriticalPath | undefined;
  const result = await runScenario({
    strategy: 'US',
    seed,
    shape: { instances },
    faults: BACKGROUND_FAULTS,
    inspect: (world, start) => {
      path = criticalPath(world, start);
    },
  });
  return { path: path as CriticalPath, makespanS: result.makespanS };
}

describe('critical path of a gated rollout', () => {
  it.each([1, 10])('accounts for the whole makespan of %i instance(s), part by part', async (instances) => {
    // GIVEN the bench's scenario for strategy US, seed 1
    // WHEN the rollout ran and its critical path is read from the world
    const { path, makespanS } = await pathOf(instances, 1);
    const launch = path.lastInService!;
    const last = path.lastTerminated!;
    // THEN the last replacement registered before its launch gate let it go InService
    expect(launch.inServiceS).toBeCloseTo(launch.registeredS + launch.launchGateS, 0);
    // AND the refresh's last termination came after that replacement's warm-up (60 s)
    expect(path.lastTerminationS!).toBeGreaterThanOrEqual(launch.inServiceS + 60);
    // AND the parts of the last old instance's termination add up to its end, which is the end of the rollout
    const parts = last.terminationS + last.toDrainingS + last.ecsDrainS + last.drainGateS + last.shutdownS;
    expect(parts).toBeCloseTo(last.terminatedS, 0);
    expect(last.terminatedS).toBeCloseTo(makespanS!, 0);
    // AND the gates' share of the path is their three steps, with every Auto Scaling completion counted
    expect(path.gateS).toBeCloseTo(launch.launchGateS + last.toDrainingS + last.drainGateS, 0);
    expect(path.autoScalingCalls.CompleteLifecycleAction).toBeGreaterThanOrEqual(2 * instances);
  });
});
