import { CompleteLifecycleActionCommand, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { InstanceCheck } from '../../../lambdas/gates/checks';
import { COMPLETIONS_PER_GROUP, Plan, executePlans } from '../../../lambdas/gates/gate-actions';
import { FakeWorld, fakeDeps } from './helpers/fake-aws';
import { ASG, TERMINATE_HOOK, at, testConfig } from './helpers/gate-test-kit';

const config = testConfig();
const ids = Array.from({ length: 12 }, (_, i) => `i-${String(i).padStart(8, '0')}`);

/** 12 instances decided CONTINUE on a lifecycle state read at at(0); 4 of them were completed by someone else since. */
function setUp(listedBySweep: boolean) {
  const world = new FakeWorld();
  for (const id of ids) world.addInstance(id, 'Terminating:Wait');
  for (const id of ids.slice(0, 4)) world.instances.get(id)!.lifecycleState = 'Terminating:Proceed';
  const kit = fakeDeps(world, config, at(5));
  const plans: Plan[] = ids.map((instanceId) => {
    const check: InstanceCheck = {
      instanceId,
      asgName: ASG,
      nodeGroup: config.nodeGroups[0],
      hookName: TERMINATE_HOOK,
      lifecycleState: 'Terminating:Wait',
      stateReadAt: at(0),
      listedBySweep,
      messageIds: [],
    };
    return {
      check,
      decision: 'CONTINUE',
      reason: 'drained',
      actions: [],
      heartbeat: false,
      setDraining: false,
      stopTaskArns: [],
      complete: 'CONTINUE',
    };
  });
  return { ...kit, plans };
}

describe('executePlans: completions decided on an old listing', () => {
  it('reads the state of a sweep listing again before completing, and completes only what still waits', async () => {
    // GIVEN CONTINUE plans from a sweep whose listing is 5 s old, 4 of them completed meanwhile by another check
    const { plans, deps, asgMock } = setUp(true);
    // WHEN the plans are executed
    await executePlans(plans, deps, at(5));
    // THEN the states are read again once per group of completions, and only the 8 waiting instances are completed
    const reads = asgMock.commandCalls(DescribeAutoScalingInstancesCommand).map((c) => c.args[0].input.InstanceIds);
    expect(reads.map((r) => r?.length)).toEqual([COMPLETIONS_PER_GROUP, ids.length - COMPLETIONS_PER_GROUP]);
    const completed = asgMock.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input.InstanceId);
    expect(completed.sort()).toEqual(ids.slice(4));
    // AND the 4 others end as NOOP, naming their state
    expect(plans.slice(0, 4).map((p) => p.decision)).toEqual(['NOOP', 'NOOP', 'NOOP', 'NOOP']);
    expect(plans[0].reason).toMatch(/Terminating:Proceed now \(another check completed it\)/);
    expect(plans.slice(4).every((p) => p.decision === 'CONTINUE')).toBe(true);
  });

  it('completes at once what an event-driven check read for this invocation', async () => {
    // GIVEN the same plans, their state read by DescribeAutoScalingInstances for this invocation's events
    const { plans, deps, asgMock } = setUp(false);
    // WHEN the plans are executed
    await executePlans(plans, deps, at(5));
    // THEN nothing is read again: all 12 are completed, and the 4 already done answer "No active Lifecycle Action"
    expect(asgMock.commandCalls(DescribeAutoScalingInstancesCommand)).toHaveLength(0);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(ids.length);
    expect(plans.filter((p) => p.decision === 'NOOP')).toHaveLength(4);
  });

  it('completes as decided when the fresh read is throttled', async () => {
    // GIVEN a sweep's plans and a throttled DescribeAutoScalingInstances
    const { plans, deps, asgMock } = setUp(true);
    asgMock
      .on(DescribeAutoScalingInstancesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $retryable: { throttling: true } }));
    // WHEN the plans are executed
    await executePlans(plans, deps, at(5));
    // THEN every completion is still attempted (the 4 done ones are harmless NOOPs)
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(ids.length);
    expect(plans.filter((p) => p.decision === 'CONTINUE')).toHaveLength(8);
  });
});
