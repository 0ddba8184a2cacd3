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
import { createDrainGateHandler } from '../../../lambdas/gates/drain-gate';
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
  it('sets 250 ACTIVE instances DRAINING with batched reads and no task listing', async () => {
    // GIVEN 250 ACTIVE terminating instances with tasks
    const world = terminatingCluster();
    const { handler, asgMock, count, sizes } = run(world);
    // WHEN the scheduled sweep runs
    const result = await handler(sweep());
    // THEN 1 ASG call, 5 filtered lists of 50 ids, 3 describes; an ACTIVE instance is set DRAINING before anything
    // else, so neither tasks nor services are read
    expect(asgMock.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    expect(count(ListContainerInstancesCommand)).toBe(5);
    expect(sizes(DescribeContainerInstancesCommand, 'containerInstances')).toEqual([100, 100, 50]);
    expect([count(ListTasksCommand), count(DescribeTasksCommand), count(DescribeServicesCommand)]).toEqual([0, 0, 0]);
    // AND every instance is heartbeated, set DRAINING and its drain start recorded once; none is completed yet
    expect(asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(250);
    expect(count(UpdateContainerInstancesStateCommand)).toBe(250);
    expect(count(PutAttributesCommand)).toBe(250);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(result.outcomes.every((o) => o.decision === 'WAIT')).toBe(true);
  });

  it('waits on 250 DRAINING instances that still count tasks with 3 describe calls (ARNs remembered)', async () => {
    // GIVEN the sweep above ran (the environment remembers the 250 container-instance ARNs)
    const world = terminatingCluster();
    const { handler, asgMock, clock, count, ecsMock } = run(world);
    await handler(sweep());
    ecsMock.resetHistory();
    asgMock.resetHistory();
    // WHEN the next sweep runs a minute later while every instance still counts its 4 tasks
    clock.now = at(60);
    const result = await handler(sweep());
    // THEN it costs 3 DescribeContainerInstances: no list, no task or service read, no write
    expect(count(ListContainerInstancesCommand)).toBe(0);
    expect(count(DescribeContainerInstancesCommand)).toBe(3);
    expect(ecsMock.calls()).toHaveLength(3);
    expect(asgMock.calls()).toHaveLength(1);
    expect(
      result.outcomes.every((o) => o.decision === 'WAIT' && /4 task\(s\) still on the instance/.test(o.reason)),
    ).toBe(true);
  });

  it('lists the tasks of emptied instances and describes each service once per sweep', async () => {
    // GIVEN 250 DRAINING instances whose tasks all stopped, their 25 services stable again
    const world = terminatingCluster();
    world.containerInstances.forEach((ci) => (ci.status = 'DRAINING'));
    world.tasks.forEach((task) => Object.assign(task, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    const { handler, asgMock, count, sizes } = run(world);
    // WHEN the sweep runs
    const result = await handler(sweep());
    // THEN 2 ListTasks per instance (RUNNING + STOPPED), DescribeTasks in 10 batches of 100 across instances and
    // DescribeServices 3 times (25 distinct services, though each ran on 40 instances)
    expect(count(ListTasksCommand)).toBe(500);
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
    // THEN exactly the instances that ran one of the first batch's services (names sorted: svc-0, svc-1, svc-10 …
    // svc-17) retry later with nothing decided; all others are continued
    const firstBatch = new Set([0, 1, 10, 11, 12, 13, 14, 15, 16, 17]);
    const ranThere = (i: number) => [0, 1, 2, 3].some((t) => firstBatch.has((i * 4 + t) % 25));
    const expected = Array.from({ length: 250 }, (_, i) => i)
      .filter(ranThere)
      .map((i) => `i-${String(i).padStart(8, '0')}`);
    const retry = result.outcomes.filter((o) => o.decision === 'RETRY_LATER').map((o) => o.instanceId);
    expect(retry.sort()).toEqual(expected);
    expect(expected.length).toBeLessThan(250);
    expect(result.outcomes.filter((o) => o.decision === 'CONTINUE')).toHaveLength(250 - expected.length);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(250 - expected.length);
    expect(result.retryLater).toBe(true);
  });
});
