import { runScenario } from '../../sim/run';
import { NO_FAULTS } from '../../sim/faults';

describe('reference strategies: published behaviour', () => {
  it('ECM: makespan grows linearly with N (one instance at a time)', async () => {
    // GIVEN ECM at N=1 and N=3
    const one = await runScenario({ strategy: 'ECM', seed: 3, shape: { instances: 1 } });
    const three = await runScenario({ strategy: 'ECM', seed: 3, shape: { instances: 3 } });
    // THEN three instances take about three times as long
    const ratio = (three.makespanS as number) / (one.makespanS as number);
    expect(ratio).toBeGreaterThan(2.3);
    expect(ratio).toBeLessThan(3.7);
    expect(three.undrainedTaskStops).toBe(0);
  });

  it('BLOG: tasks still on old hosts at the 15-minute scale-in are stopped without a drain', async () => {
    // GIVEN the double-then-halve strategy on 2 instances with 4 service tasks each
    const result = await runScenario({ strategy: 'BLOG', seed: 4, shape: { instances: 2 } });
    // THEN every service task on the old hosts is cut off (no hook drains them), yet the rollout "completes"
    expect(result.completed).toBe(true);
    expect(result.undrainedTaskStops).toBe(8);
    expect(result.lambdaInvocations).toBe(0);
  });

  it('CDK: a drain longer than 5 minutes ends with the hook timing out to CONTINUE', async () => {
    // GIVEN a 10-minute load balancer deregistration delay (the drain outlasts the 5-minute drainTime)
    const timings = { lbDeregistrationDelaySeconds: 600 };
    const cdk = await runScenario({ strategy: 'CDK', seed: 5, shape: { instances: 2 }, timings });
    const us = await runScenario({ strategy: 'US', seed: 5, shape: { instances: 2 }, timings });
    // THEN CDK's hook times out with CONTINUE and tasks die mid-deregistration; US waits for the drain
    expect(cdk.hookHeartbeatTimeouts).toBeGreaterThan(0);
    expect(cdk.undrainedTaskStops).toBeGreaterThan(0);
    expect(us.undrainedTaskStops).toBe(0);
    expect(us.hookHeartbeatTimeouts).toBe(0);
  });

  it('NAT: without a launch gate a never-joining instance counts as healthy and capacity drops', async () => {
    // GIVEN half of the new instances never join the cluster
    const faults = { ...NO_FAULTS, neverJoinProbability: 0.5 };
    const nat = await runScenario({ strategy: 'NAT', seed: 6, shape: { instances: 4 }, faults, maxSeconds: 3 * 3600 });
    const us = await runScenario({ strategy: 'US', seed: 6, shape: { instances: 4 }, faults, maxSeconds: 3 * 3600 });
    // THEN NAT drains old instances against replacements ECS cannot use; US keeps full capacity
    expect(nat.lowestHealthyPct).toBeLessThan(100);
    expect(us.lowestHealthyPct).toBeGreaterThanOrEqual(100);
    expect(us.undrainedTaskStops).toBe(0);
  });

  it('ECM: CloudFormation moves on at the cfn-signal of the user data, before the replacement joined ECS', async () => {
    // GIVEN replacements that boot but never register with the cluster (the user data still signals)
    const faults = { ...NO_FAULTS, neverJoinProbability: 1 };
    const ecm = await runScenario({ strategy: 'ECM', seed: 7, shape: { instances: 3 }, faults, maxSeconds: 2 * 3600 });
    // THEN the rolling update did not roll back: it kept terminating old instances for replacements ECS never saw
    expect(ecm.failed).toBe(false);
    expect(ecm.lowestHealthyPct).toBeLessThan(100);
  });

  it('CDK: UpdatePolicy.rollingUpdate() defaults replace one instance at a time, terminating first', async () => {
    // GIVEN aws-cdk's rolling update defaults (MaxBatchSize 1, MinInstancesInService 0) on 4 instances
    const cdk = await runScenario({ strategy: 'CDK', seed: 8, shape: { instances: 4 } });
    const one = await runScenario({ strategy: 'CDK', seed: 8, shape: { instances: 1 } });
    // THEN the makespan grows with N (serial), and capacity dips while an old instance drains before its replacement
    expect(cdk.completed).toBe(true);
    expect((cdk.makespanS as number) / (one.makespanS as number)).toBeGreaterThan(2.5);
    expect(cdk.lowestHealthyPct).toBeLessThan(100);
  });
});
