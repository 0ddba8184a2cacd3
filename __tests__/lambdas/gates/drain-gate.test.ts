import { CompleteLifecycleActionCommand, RecordLifecycleActionHeartbeatCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeContainerInstancesCommand,
  ECSServiceException,
  ListTasksCommand,
  PutAttributesCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { createDrainGateHandler } from '../../../lambdas/gates/drain-gate';
import type { Notifier } from '../../../lambdas/shared/notifier';
import type { Notification } from '../../../lambdas/shared/notifier-format';
import {
  DRAIN_STARTED_AT_ATTRIBUTE,
  LAST_HEARTBEAT_AT_ATTRIBUTE,
  STANDALONE_STOPPED_AT_ATTRIBUTE,
} from '../../../lambdas/gates/drain-state';
import { FakeContainerInstance, FakeWorld, fakeDeps } from './helpers/fake-aws';
import {
  ASG,
  CLUSTER_ARN,
  TERMINATE_HOOK,
  adaptEvent,
  at,
  decisionLines,
  loadEvent,
  testConfig,
} from './helpers/gate-test-kit';

const ID = 'i-0old0000000000001';
const terminateEvent = () =>
  adaptEvent(
    'autoscaling-terminate-lifecycle-action.json',
    {},
    { AutoScalingGroupName: ASG, LifecycleHookName: TERMINATE_HOOK, EC2InstanceId: ID },
  );
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
    // THEN the wait is heartbeated first, the instance set DRAINING and the drain start recorded as attributes
    expect(first.outcomes[0]).toMatchObject({
      decision: 'WAIT',
      actions: ['RecordLifecycleActionHeartbeat', 'UpdateContainerInstancesState:DRAINING', 'PutAttributes'],
    });
    // AND an ACTIVE instance needs no task listing to be set DRAINING
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0);
    expect(ci.status).toBe('DRAINING');
    expect(ci.attributes).toEqual({
      [DRAIN_STARTED_AT_ATTRIBUTE]: at(0).toISOString(),
      [LAST_HEARTBEAT_AT_ATTRIBUTE]: at(0).toISOString(),
    });

    // WHEN ECS moved the tasks, the service is steady again, and a documented task-stopped event arrives 90 s later
    world.tasks.forEach((t) => Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    clock.now = at(90);
    const taskStopped = adaptEvent(
      'ecs-task-state-change.json',
      {},
      { clusterArn: CLUSTER_ARN, lastStatus: 'STOPPED', containerInstanceArn: ci.arn },
    );
    const second = await handler(taskStopped);
    // THEN the lifecycle action is completed once, and the drain time measured from the recorded start
    expect(second.outcomes[0]).toMatchObject({ decision: 'CONTINUE', actions: ['CompleteLifecycleAction:CONTINUE'] });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(1);
    expect(metrics.points).toEqual([
      { name: 'DrainSeconds', unit: 'Seconds', value: 90, dimensions: { cluster: 'prod', nodeGroup: 'general' } },
    ]);
  });

  it('keeps waiting while the service that ran there is not stable', async () => {
    const { handler, world } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      c.status = 'DRAINING';
    });
    world.services[0].runningCount = 1;
    const result = await handler(terminateEvent());
    expect(result.outcomes[0]).toMatchObject({
      decision: 'WAIT',
      reason: expect.stringMatching(/service web not stable \(running 1\/2\)/),
    });
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
    expect(stops).toEqual([
      {
        cluster: CLUSTER_ARN,
        task: expect.stringContaining('/cron'),
        reason: expect.stringMatching(
          /instance i-0old0000000000001 is being replaced; standalone task stopped after the 300 s/,
        ),
      },
    ]);
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', actions: ['StopTask×1', 'PutAttributes'] });
    expect(ci.attributes[STANDALONE_STOPPED_AT_ATTRIBUTE]).toBe(at(300).toISOString());
    expect(metrics.points).toEqual([expect.objectContaining({ name: 'StandaloneTasksStopped', value: 1 })]);
    // AND a re-check within the next grace period neither lists tasks again nor stops anything
    await handler(sweep());
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(2);
  });

  it('looks for standalone tasks once per grace period, recording the check even when none is found', async () => {
    // GIVEN a DRAINING instance still running a replica task, 300 s into its drain (grace 300 s)
    const { handler, ci, ecsMock, clock } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      c.attributes[LAST_HEARTBEAT_AT_ATTRIBUTE] = at(250).toISOString();
    });
    clock.now = at(300);
    const first = await handler(sweep());
    // THEN the tasks are listed once (2 ListTasks), nothing is stopped, and the check is recorded
    expect(first.outcomes[0]).toMatchObject({ decision: 'WAIT', actions: ['PutAttributes'] });
    expect(ci.attributes[STANDALONE_STOPPED_AT_ATTRIBUTE]).toBe(at(300).toISOString());
    // AND the next sweeps use the task counts only, until another grace period has passed
    clock.now = at(360);
    await handler(sweep());
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(2);
    clock.now = at(600);
    await handler(sweep());
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(4);
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  it('forces CONTINUE at the max drain time with an alert-level line and DrainsForced', async () => {
    const { handler, logger, metrics, clock } = setup((w, c) => {
      w.addTask(c, 'stuck', { group: 'service:web' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
    });
    clock.now = at(3600);
    const result = await handler(sweep());
    expect(result.outcomes[0]).toMatchObject({
      decision: 'CONTINUE',
      reason: expect.stringMatching(/drain forced after 3600 s/),
    });
    expect(decisionLines(logger)).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ forced: true, decision: 'CONTINUE' }),
      }),
    ]);
    expect(metrics.points.map((p) => p.name)).toEqual(['DrainSeconds', 'DrainsForced']);
  });

  it('continues at once for an instance that never registered', async () => {
    const { handler, world, ecsMock, asgMock } = setup(() => undefined);
    world.containerInstances = [];
    const result = await handler(terminateEvent());
    expect(result.outcomes[0]).toMatchObject({
      decision: 'CONTINUE',
      reason: expect.stringMatching(/never registered/),
    });
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
    expect(results[1].outcomes[0]).toMatchObject({
      decision: 'NOOP',
      reason: expect.stringMatching(/Terminating:Proceed/),
    });
    expect(results[2].outcomes).toEqual([]);
  });

  it('surfaces ListTasks throttling as "retry later": heartbeat first, nothing decided', async () => {
    // GIVEN a DRAINING instance with no task counted (so its tasks must be listed) and no heartbeat recorded yet
    const { handler, asgMock, ecsMock, ci, logger } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
    });
    ecsMock.on(ListTasksCommand).rejects(
      new ECSServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );
    // WHEN the terminate event's check is throttled
    const result = await handler(terminateEvent());
    // THEN nothing is decided, but the due heartbeat is sent (and recorded): throttling cannot let the hook expire
    expect(result).toMatchObject({
      retryLater: true,
      outcomes: [{ decision: 'RETRY_LATER', actions: ['RecordLifecycleActionHeartbeat', 'PutAttributes'] }],
    });
    expect(ci.attributes[LAST_HEARTBEAT_AT_ATTRIBUTE]).toBe(at(0).toISOString());
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(0);
    expect(decisionLines(logger)).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ decision: 'RETRY_LATER' }) }),
    ]);
  });

  it('sends no heartbeat on a throttled check when the recorded one is recent', async () => {
    const { handler, asgMock, ecsMock } = setup((_w, c) => {
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      c.attributes[LAST_HEARTBEAT_AT_ATTRIBUTE] = at(0).toISOString();
    });
    ecsMock.on(ListTasksCommand).rejects(
      new ECSServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );
    const result = await handler(sweep());
    expect(result.outcomes).toEqual([expect.objectContaining({ decision: 'RETRY_LATER', actions: [] })]);
    expect(asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(0);
  });

  it('heartbeats even when the container instance itself cannot be read (throttled describe)', async () => {
    const { handler, asgMock, ecsMock } = setup((w, c) => w.addTask(c, 'a', { group: 'service:web' }));
    ecsMock.on(DescribeContainerInstancesCommand).rejects(
      new ECSServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );
    const first = await handler(sweep());
    // THEN unknown state → heartbeat at once; a second throttled sweep by the same environment remembers it
    expect(first.outcomes).toEqual([
      expect.objectContaining({ decision: 'RETRY_LATER', actions: ['RecordLifecycleActionHeartbeat'] }),
    ]);
    await handler(sweep());
    expect(asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(PutAttributesCommand)).toHaveLength(0);
  });

  it('ignores the documented container-instance event of another cluster', async () => {
    const { handler, ecsMock } = setup(() => undefined);
    const result = await handler(loadEvent('ecs-container-instance-state-change.json'));
    expect(result.ignored).toMatch(/cluster .* is not/);
    expect(ecsMock.calls()).toHaveLength(0);
  });
});

describe('drain gate cost per check', () => {
  it('re-checks an emptied instance from the DRAINING event without lookup, then only describes services', async () => {
    // GIVEN a DRAINING instance whose task stopped, its service not stable yet
    const { handler, world, ci, ecsMock, asgMock, clock } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      c.attributes[LAST_HEARTBEAT_AT_ATTRIBUTE] = at(0).toISOString();
    });
    world.services[0].runningCount = 1;
    // WHEN the container-instance event (DRAINING, no task) arrives: it names the container instance
    const drained = adaptEvent(
      'ecs-container-instance-state-change.json',
      {},
      {
        clusterArn: CLUSTER_ARN,
        status: 'DRAINING',
        ec2InstanceId: ID,
        containerInstanceArn: ci.arn,
        runningTasksCount: 0,
        pendingTasksCount: 0,
      },
    );
    const first = await handler(drained);
    // THEN no ListContainerInstances: 1 describe, 2 ListTasks, 1 DescribeTasks, 1 DescribeServices
    expect(first.outcomes[0]).toMatchObject({
      decision: 'WAIT',
      reason: expect.stringMatching(/service web not stable/),
    });
    const names = () =>
      ecsMock.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));
    expect(names()).toEqual([
      'DescribeContainerInstances',
      'ListTasks',
      'ListTasks',
      'DescribeTasks',
      'DescribeServices',
    ]);
    // WHEN the service is stable a minute later and the sweep re-checks
    world.services[0].runningCount = 2;
    ecsMock.resetHistory();
    clock.now = at(60);
    const second = await handler(sweep());
    // THEN the remembered (stopped) tasks name the service: 1 describe and 1 DescribeServices, then CONTINUE
    expect(names()).toEqual(['DescribeContainerInstances', 'DescribeServices']);
    expect(second.outcomes[0]).toMatchObject({ decision: 'CONTINUE' });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
  });
});

describe('drain gate alerts', () => {
  it('sends a critical notification when it forces a drain at the deadline', async () => {
    // GIVEN a task that never stops and a recording notifier
    const sent: Notification[] = [];
    const notifier: Notifier = {
      notify: async (n) => (sent.push(n), { deduped: false, sns: 'sent', webhook: 'skipped', delivered: true }),
    };
    const { deps, clock } = setup((w, c) => {
      w.addTask(c, 'stuck', { group: 'service:web' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
    });
    clock.now = at(3600);
    // WHEN the maximum drain time is reached
    await createDrainGateHandler({ ...deps, notifier })(sweep());
    // THEN operators are paged once for that instance
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'drain.forced', severity: 'critical', dedupeKey: `drain.forced:${ID}` }),
    ]);
  });
});
