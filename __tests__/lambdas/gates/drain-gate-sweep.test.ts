import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSServiceException,
  ListContainerInstancesCommand,
  ListTasksCommand,
  PutAttributesCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { createDrainGateHandler } from '../../../lambdas/gates/gate-handlers';
import { FakeWorld, fakeDeps } from './helpers/fake-aws';
import { at, loadEvent, testConfig } from './helpers/gate-test-kit';

const sweep = () => loadEvent('eventbridge-scheduled-event.json');
const throttling = () =>
  new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'Rate exceeded' });

/** 250 ACTIVE container instances in Terminating:Wait, 4 tasks each of 25 services (each service on 40 instances). */
function terminatingCluster(): FakeWorld {
  const world = new FakeWorld();
  for (let i = 0; i < 250; i++) {
    const id = `i-${String(i).padStart(8, '0')}`;
    world.addInstance(id, 'Terminating:Wait');
    const ci = world.register(id);
    for (let t = 0; t < 4; t++) world.addTask(ci, `${id}-${t}`, { group: `service:svc-${(i * 4 + t) % 25}` });
  }
  for (let s = 0; s < 25; s++) world.addService(`svc-${s}`);
  return world;
}

function run(world: FakeWorld) {
  const kit = fakeDeps(world, testConfig(), at(0));
  const handler = createDrainGateHandler(kit.deps);
  const count = (command: unknown) => kit.ecsMock.commandCalls(command as never).length;
  const sizes = (command: unknown, field: string) =>
    kit.ecsMock
      .commandCalls(command as never)
      .map((c) => ((c.args[0] as { input: Record<string, unknown[]> }).input[field] ?? []).length);
  return { ...kit, handler, count, sizes };
}

describe('drain gate sweep at cluster scale', () => {
  it('starts 250 drains with batched reads and writes and one ListTasks per instance', async () => {
    // GIVEN 250 ACTIVE terminating instances with tasks
    const world = terminatingCluster();
    const { handler, asgMock, count, sizes } = run(world);
    // WHEN the scheduled sweep runs
    const result = await handler(sweep());
    // THEN 1 ASG call; per chunk of 100 instances: filtered lists of 50 ids and one describe
    expect(asgMock.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    expect(count(ListContainerInstancesCommand)).toBe(5);
    expect(sizes(DescribeContainerInstancesCommand, 'containerInstances')).toEqual([100, 100, 50]);
    // AND each drain's one listing (RUNNING, before DRAINING), its tasks described 100 per call across instances, the
    // 25 services 10 per call, once in the run
    expect(count(ListTasksCommand)).toBe(250);
    expect(sizes(DescribeTasksCommand, 'tasks')).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
    expect(sizes(DescribeServicesCommand, 'services')).toEqual([10, 10, 5]);
    // AND every instance is heartbeated (the sweep does not know when the hook's timer started), set DRAINING 10 per
    // call, its drain start, heartbeat and services recorded 10 attributes per call; none is completed yet
    expect(asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(250);
    expect(sizes(UpdateContainerInstancesStateCommand, 'containerInstances')).toEqual(Array(25).fill(10));
    expect(sizes(PutAttributesCommand, 'attributes')).toEqual(Array(75).fill(10));
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(result.outcomes.every((o) => o.decision === 'WAIT')).toBe(true);
  });

  it('starts drains without a heartbeat when its previous sweep listed the instances outside the wait', async () => {
    // GIVEN 250 InService instances, listed by a sweep of this execution environment at T0
    const world = terminatingCluster();
    world.instances.forEach((instance) => (instance.lifecycleState = 'InService'));
    const { handler, asgMock, clock } = run(world);
    await handler(sweep());
    // WHEN all of them are terminated and the next sweep finds them before their lifecycle events arrive
    world.instances.forEach((instance) => (instance.lifecycleState = 'Terminating:Wait'));
    asgMock.resetHistory();
    clock.now = at(60);
    const result = await handler(sweep());
    // THEN every drain starts (DRAINING) without a heartbeat: the hooks' timers started after T0, 60 s ago
    expect(result.outcomes.every((o) => o.decision === 'WAIT' && o.actions.includes('PutAttributes'))).toBe(true);
    expect(asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(0);
    // AND the drain start recorded is this check's time (the next heartbeat is due half a timeout after it)
    const starts = world.containerInstances.map((ci) => ci.attributes['ecs-ami-rollout.drain-started-at']);
    expect([...new Set(starts)]).toEqual([at(60).toISOString()]);
  });

  it('re-checks 250 draining instances without listing or writing: known tasks described in batches', async () => {
    // GIVEN the sweep above ran (the environment remembers the ARNs and each drain's tasks)
    const world = terminatingCluster();
    const { handler, asgMock, clock, count, ecsMock } = run(world);
    await handler(sweep());
    ecsMock.resetHistory();
    asgMock.resetHistory();
    // WHEN the next sweep runs a minute later while every instance still runs its 4 tasks
    clock.now = at(60);
    const result = await handler(sweep());
    // THEN no list of any kind and no write: 3 describes of container instances, 10 of tasks, and no service read (the
    // instances are still occupied; their services are re-read after SERVICE_RECHECK_SECONDS)
    expect(count(ListContainerInstancesCommand)).toBe(0);
    expect(count(ListTasksCommand)).toBe(0);
    expect([
      count(DescribeContainerInstancesCommand),
      count(DescribeTasksCommand),
      count(DescribeServicesCommand),
    ]).toEqual([3, 10, 0]);
    expect(ecsMock.calls()).toHaveLength(13);
    expect(asgMock.calls()).toHaveLength(1);
    expect(
      result.outcomes.every((o) => o.decision === 'WAIT' && /4 service task\(s\) still running/.test(o.reason)),
    ).toBe(true);
  });

  it('lists the tasks of emptied instances once and describes each service once per run', async () => {
    // GIVEN 250 DRAINING instances whose tasks all stopped, their 25 services stable again, and a cold environment
    const world = terminatingCluster();
    world.containerInstances.forEach((ci) => (ci.status = 'DRAINING'));
    world.tasks.forEach((task) => Object.assign(task, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    const { handler, asgMock, count, sizes } = run(world);
    // WHEN the sweep runs
    const result = await handler(sweep());
    // THEN the cold environment lists each emptied drain's STOPPED tasks once (the services that ran there), describes
    // the tasks 100 per call across instances and the 25 services 10 per call once (though each ran on 40 instances)
    expect(count(ListTasksCommand)).toBe(250);
    expect(sizes(DescribeTasksCommand, 'tasks')).toEqual(Array(10).fill(100));
    expect(sizes(DescribeServicesCommand, 'services')).toEqual([10, 10, 5]);
    // AND all 250 are continued
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(250);
    expect(result.outcomes.every((o) => o.decision === 'CONTINUE')).toBe(true);
  });

  it('keeps a throttled DescribeServices batch to the instances it was for', async () => {
    // GIVEN emptied instances, and the first DescribeServices call of the sweep throttled
    const world = terminatingCluster();
    world.containerInstances.forEach((ci) => (ci.status = 'DRAINING'));
    world.tasks.forEach((task) => Object.assign(task, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    const { handler, ecsMock, asgMock } = run(world);
    ecsMock
      .on(DescribeServicesCommand)
      .rejectsOnce(throttling())
      .callsFake((input) => ({ services: world.services.filter((s) => input.services.includes(s.serviceName)) }));
    // WHEN the sweep runs
    const result = await handler(sweep());
    // THEN exactly the instances of the first chunk (the first 100) that ran one of the first batch's services (names
    // sorted: svc-0, svc-1, svc-10 … svc-17) retry later with nothing decided; all others are continued
    const firstBatch = new Set([0, 1, 10, 11, 12, 13, 14, 15, 16, 17]);
    const ranThere = (i: number) => [0, 1, 2, 3].some((t) => firstBatch.has((i * 4 + t) % 25));
    const expected = Array.from({ length: 100 }, (_, i) => i)
      .filter(ranThere)
      .map((i) => `i-${String(i).padStart(8, '0')}`);
    const retry = result.outcomes.filter((o) => o.decision === 'RETRY_LATER').map((o) => o.instanceId);
    expect(retry.sort()).toEqual(expected);
    expect(expected.length).toBeLessThan(100);
    expect(result.outcomes.filter((o) => o.decision === 'CONTINUE')).toHaveLength(250 - expected.length);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(250 - expected.length);
    expect(result.retryLater).toBe(true);
  });

  it('stops loading chunks near the invocation deadline and defers the rest', async () => {
    // GIVEN 250 instances and an invocation with 20 s left, of which the first chunk uses 6 s
    const world = terminatingCluster();
    const { handler } = run(world);
    let left = 20_000;
    const context = { getRemainingTimeInMillis: () => (left -= 6_000) + 6_000 };
    // WHEN the sweep runs
    const result = await handler(sweep(), context);
    // THEN the first chunk (100 instances, oldest first) is decided, the rest is deferred to the next trigger
    expect(result.outcomes.filter((o) => o.decision === 'WAIT')).toHaveLength(100);
    expect(result.outcomes.filter((o) => o.decision === 'DEFERRED')).toHaveLength(150);
    expect(result.retryLater).toBe(true);
  });
});
