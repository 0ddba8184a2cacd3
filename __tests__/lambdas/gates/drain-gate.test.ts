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
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { createDrainGateHandler } from '../../../lambdas/gates/drain-gate';
import { DRAIN_STARTED_AT_ATTRIBUTE, LAST_HEARTBEAT_AT_ATTRIBUTE, STANDALONE_STOPPED_AT_ATTRIBUTE } from '../../../lambdas/gates/drain-state';
import { FakeContainerInstance, FakeWorld, fakeDeps } from './helpers/fake-aws';
import { ASG, CLUSTER_ARN, TERMINATE_HOOK, adaptEvent, at, decisionLines, loadEvent, testConfig } from './helpers/gate-test-kit';

const ID = 'i-0old0000000000001';
const terminateEvent = () =>
  adaptEvent('autoscaling-terminate-lifecycle-action.json', {}, { AutoScalingGroupName: ASG, LifecycleHookName: TERMINATE_HOOK, EC2InstanceId: ID });
const sweep = () => loadEvent('eventbridge-scheduled-event.json');

function setup(prepare: (world: FakeWorld, ci: FakeContainerInstance) => void, configOverrides = {}) {
  const world = new FakeWorld();
  world.addInstance(ID, 'Terminating:Wait');
  const ci = world.register(ID);
  world.addService('web');
  prepare(world, ci);
  const kit = fakeDeps(world, testConfig(configOverrides), at(0));
  return { world, ci, ...kit, handler: createDrainGateHandler(kit.deps) };
}

describe('drain gate handler', () => {
  it('drains, waits and continues once tasks moved and the service is stable', async () => {
    // GIVEN an ACTIVE instance running two web tasks
    const { handler, world, ci, asgMock, ecsMock, metrics, clock } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web' });
      w.addTask(c, 'b', { group: 'service:web' });
    });
    // WHEN the documented terminate event arrives
    const first = await handler(terminateEvent());
    // THEN the instance is set DRAINING, the wait is heartbeated and the drain start recorded as attributes
    expect(first.outcomes[0]).toMatchObject({ decision: 'WAIT', actions: ['UpdateContainerInstancesState:DRAINING', 'RecordLifecycleActionHeartbeat', 'PutAttributes'] });
    expect(ci.status).toBe('DRAINING');
    expect(ci.attributes).toEqual({ [DRAIN_STARTED_AT_ATTRIBUTE]: at(0).toISOString(), [LAST_HEARTBEAT_AT_ATTRIBUTE]: at(0).toISOString() });

    // WHEN ECS moved the tasks, the service is steady again, and a documented task-stopped event arrives 90 s later
    world.tasks.forEach((t) => Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    clock.now = at(90);
    const taskStopped = adaptEvent('ecs-task-state-change.json', {}, { clusterArn: CLUSTER_ARN, lastStatus: 'STOPPED', containerInstanceArn: ci.arn });
    const second = await handler(taskStopped);
    // THEN the lifecycle action is completed once, and the drain time measured from the recorded start
    expect(second.outcomes[0]).toMatchObject({ decision: 'CONTINUE', actions: ['CompleteLifecycleAction:CONTINUE'] });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(1);
    expect(metrics.points).toEqual([{ name: 'DrainSeconds', unit: 'Seconds', value: 90, dimensions: { cluster: 'prod', nodeGroup: 'general' } }]);
  });

  it('keeps waiting while the service that ran there is not stable', async () => {
    const { handler, world } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      c.status = 'DRAINING';
    });
    world.services[0].runningCount = 1;
    const result = await handler(terminateEvent());
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', reason: expect.stringMatching(/service web not stable \(running 1\/2\)/) });
  });

  it('stops standalone tasks after the grace period with a clear reason', async () => {
    // GIVEN a drain that started 300 s ago with a standalone task still running
    const { handler, ci, ecsMock, metrics, clock } = setup((w, c) => {
      w.addTask(c, 'cron', { group: 'family:batch', startedBy: 'scheduler' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      c.attributes[LAST_HEARTBEAT_AT_ATTRIBUTE] = at(200).toISOString();
    });
    clock.now = at(300);
    const result = await handler(sweep());
    // THEN StopTask is called once with a reason naming the instance, and counted
    const stops = ecsMock.commandCalls(StopTaskCommand).map((call) => call.args[0].input);
    expect(stops).toEqual([{ cluster: CLUSTER_ARN, task: expect.stringContaining('/cron'), reason: expect.stringMatching(/instance i-0old0000000000001 is being replaced; standalone task stopped after the 300 s/) }]);
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', actions: ['StopTask×1', 'PutAttributes'] });
    expect(ci.attributes[STANDALONE_STOPPED_AT_ATTRIBUTE]).toBe(at(300).toISOString());
    expect(metrics.points).toEqual([expect.objectContaining({ name: 'StandaloneTasksStopped', value: 1 })]);
    // AND a re-check does not stop it again (its desired status is STOPPED now)
    await handler(sweep());
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(1);
  });

  it('forces CONTINUE at the max drain time with an alert-level line and DrainsForced', async () => {
    const { handler, logger, metrics, clock } = setup((w, c) => {
      w.addTask(c, 'stuck', { group: 'service:web' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
    });
    clock.now = at(3600);
    const result = await handler(sweep());
    expect(result.outcomes[0]).toMatchObject({ decision: 'CONTINUE', reason: expect.stringMatching(/drain forced after 3600 s/) });
    expect(decisionLines(logger)).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ forced: true, decision: 'CONTINUE' }) })]);
    expect(metrics.points.map((p) => p.name)).toEqual(['DrainSeconds', 'DrainsForced']);
  });

  it('continues at once for an instance that never registered', async () => {
    const { handler, world, ecsMock, asgMock } = setup(() => undefined);
    world.containerInstances = [];
    const result = await handler(terminateEvent());
    expect(result.outcomes[0]).toMatchObject({ decision: 'CONTINUE', reason: expect.stringMatching(/never registered/) });
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
  });

  it('heartbeats only once half the heartbeat timeout has passed since the recorded heartbeat', async () => {
    const { handler, asgMock, clock } = setup((w, c) => w.addTask(c, 'a', { group: 'service:web' }));
    await handler(terminateEvent()); // t=0: first heartbeat
    clock.now = at(149);
    await handler(sweep()); // not due
    clock.now = at(150);
    await handler(sweep()); // due (300 s timeout / 2)
    expect(asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(2);
  });

  it('completes exactly once under duplicate terminate events', async () => {
    const { handler, asgMock } = setup((_w, c) => (c.status = 'DRAINING'));
    const results = [await handler(terminateEvent()), await handler(terminateEvent()), await handler(sweep())];
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    expect(results[1].outcomes[0]).toMatchObject({ decision: 'NOOP', reason: expect.stringMatching(/Terminating:Proceed/) });
    expect(results[2].outcomes).toEqual([]);
  });

  it('surfaces ListTasks throttling as "retry later" without any write', async () => {
    const { handler, asgMock, ecsMock } = setup((w, c) => w.addTask(c, 'a', { group: 'service:web' }));
    ecsMock.on(ListTasksCommand).rejects(new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'Rate exceeded' }));
    const result = await handler(terminateEvent());
    expect(result).toMatchObject({ retryLater: true, outcomes: [] });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(0);
  });

  it('ignores the documented container-instance event of another cluster', async () => {
    const { handler, ecsMock } = setup(() => undefined);
    const result = await handler(loadEvent('ecs-container-instance-state-change.json'));
    expect(result.ignored).toMatch(/cluster .* is not/);
    expect(ecsMock.calls()).toHaveLength(0);
  });
});

describe('drain gate sweep at cluster scale', () => {
  it('evaluates 250 terminating instances and 1,000 tasks with batched calls', async () => {
    // GIVEN 250 ACTIVE container instances in Terminating:Wait, 4 tasks each of 25 services
    const world = new FakeWorld();
    for (let i = 0; i < 250; i++) {
      const id = `i-${String(i).padStart(8, '0')}`;
      world.addInstance(id, 'Terminating:Wait');
      const ci = world.register(id);
      for (let t = 0; t < 4; t++) world.addTask(ci, `${id}-${t}`, { group: `service:svc-${(i * 4 + t) % 25}` });
    }
    for (let s = 0; s < 25; s++) world.addService(`svc-${s}`);
    const { deps, asgMock, ecsMock } = fakeDeps(world, testConfig(), at(0));
    // WHEN the scheduled sweep runs
    const result = await createDrainGateHandler(deps)(sweep());
    // THEN every read is batched: 1 ASG call, 5 filtered lists, 3 describes, 2 ListTasks per instance,
    // 10 DescribeTasks of 100 and 3 DescribeServices of ≤ 10
    const count = (command: unknown) => ecsMock.commandCalls(command as never).length;
    expect(asgMock.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    expect(count(ListContainerInstancesCommand)).toBe(5);
    expect(ecsMock.commandCalls(DescribeContainerInstancesCommand).map((c) => c.args[0].input.containerInstances?.length)).toEqual([100, 100, 50]);
    expect(count(ListTasksCommand)).toBe(500);
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual(Array(10).fill(100));
    expect(ecsMock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services?.length)).toEqual([10, 10, 5]);
    // AND every instance is set DRAINING once, heartbeated, and none is completed yet
    expect(count(UpdateContainerInstancesStateCommand)).toBe(250);
    expect(count(PutAttributesCommand)).toBe(250);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(result.outcomes).toHaveLength(250);
    expect(result.outcomes.every((o) => o.decision === 'WAIT')).toBe(true);
  });
});
