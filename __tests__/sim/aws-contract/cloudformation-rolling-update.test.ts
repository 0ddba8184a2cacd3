/**
 * The CloudFormation AutoScalingRollingUpdate the reference strategies ECM and CDK run, against "UpdatePolicy
 * attribute" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html),
 * awslabs/ecs-cluster-manager ecs-cluster.yaml and aws-cdk-lib aws-autoscaling/lib/auto-scaling-group.ts. One test
 * per row of docs/aws-contract.md, "CloudFormation rolling updates (reference strategies)".
 */
import { rollingUpdate, rollingUpdateRolledBack } from '../../../sim/strategies/cloudformation-rolling-update';
import { NO_FAULTS } from '../../../sim/faults';
import type { Timings } from '../../../sim/timings';
import { World } from '../../../sim/world';

async function fleet(instances: number, timings: Partial<Timings> = {}, neverJoin = 0): Promise<World> {
  const w = new World({
    seed: 21,
    shape: { instances },
    timings,
    faults: { ...NO_FAULTS, neverJoinProbability: neverJoin },
  });
  await w.bootstrap();
  return w;
}

/** Runs the update and samples the group's size and the number of old instances every second. */
async function watch(w: World, options: Parameters<typeof rollingUpdate>[1], seconds: number) {
  const samples: { alive: number; old: number }[] = [];
  w.sim.every(1, w.sim.now, () => {
    const alive = w.asg.alive();
    samples.push({ alive: alive.length, old: alive.filter((i) => i.imageId === w.oldAmiId).length });
  });
  w.sim.spawn(() => rollingUpdate(w, options));
  await w.sim.run(w.sim.now + seconds);
  return samples;
}

describe('CloudFormation AutoScalingRollingUpdate, MaxBatchSize 1', () => {
  it('MinInstancesInService = size (ECM): launches the replacement first, never fewer than N', async () => {
    const w = await fleet(3);
    const samples = await watch(w, { order: 'launch-first', waitOnResourceSignals: true, pauseTimeSeconds: 600 }, 3600);
    expect(Math.min(...samples.map((s) => s.alive))).toBe(3);
    expect(Math.max(...samples.map((s) => s.alive))).toBe(4);
    expect(samples[samples.length - 1].old).toBe(0);
  });

  it('MinInstancesInService = 0 (aws-cdk rollingUpdate() defaults): terminates an old instance per batch', async () => {
    const w = await fleet(3);
    const samples = await watch(
      w,
      { order: 'terminate-first', waitOnResourceSignals: false, pauseTimeSeconds: 0 },
      3600,
    );
    // The group never grows beyond N: each batch starts by terminating an old instance.
    expect(Math.max(...samples.map((s) => s.alive))).toBe(3);
    expect(samples[samples.length - 1].old).toBe(0);
  });

  it("WaitOnResourceSignals: the batch ends at the user data's cfn-signal, even if it never joins ECS", async () => {
    // GIVEN replacements that boot (and signal) but never register with the cluster
    const w = await fleet(2, {}, 1);
    await watch(w, { order: 'launch-first', waitOnResourceSignals: true, pauseTimeSeconds: 600 }, 3600);
    // THEN the update replaced every old instance and did not roll back
    expect(rollingUpdateRolledBack(w)).toBe(false);
    expect(w.asg.alive().filter((i) => i.imageId === w.oldAmiId)).toHaveLength(0);
    const joined = w.asg.alive().filter((i) => w.ecs.byEc2Id.get(i.id)?.status === 'ACTIVE');
    expect(joined).toHaveLength(0);
  });

  it('PauseTime: no signal within it rolls the update back', async () => {
    // GIVEN a signal that would come only after 1000 s, beyond the 600 s PauseTime
    const late = { cfnSignalAfterRunning: { median: 1000, sigma: 0, min: 1000, max: 1000 } };
    const w = await fleet(2, late);
    await watch(w, { order: 'launch-first', waitOnResourceSignals: true, pauseTimeSeconds: 600 }, 3600);
    expect(rollingUpdateRolledBack(w)).toBe(true);
    expect(w.asg.alive().filter((i) => i.imageId === w.oldAmiId)).toHaveLength(2);
  });
});
