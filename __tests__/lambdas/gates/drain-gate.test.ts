import { CompleteLifecycleActionCommand, RecordLifecycleActionHeartbeatCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeContainerInstancesCommand,
  ECSServiceException,
  ListTasksCommand,
  PutAttributesCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import {
  DRAIN_SERVICES_ATTRIBUTE,
  DRAIN_STARTED_AT_ATTRIBUTE,
  HELD_ALERTED_AT_ATTRIBUTE,
  LAST_HEARTBEAT_AT_ATTRIBUTE,
} from '../../../lambdas/gates/drain-state';
import { emptied, setup, sweep, terminateEvent } from './helpers/drain-gate-kit';
import { CLUSTER_ARN, at, decisionLines, loadEvent } from './helpers/gate-test-kit';

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
    // AND the drain's one listing happens before DRAINING (what is meant to run there: desiredStatus RUNNING)
    expect(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input.desiredStatus)).toEqual(['RUNNING']);
    expect(ci.status).toBe('DRAINING');
    expect(ci.attributes).toEqual({
      [DRAIN_STARTED_AT_ATTRIBUTE]: at(0).toISOString(),
      [LAST_HEARTBEAT_AT_ATTRIBUTE]: at(0).toISOString(),
      [DRAIN_SERVICES_ATTRIBUTE]: 'web',
    });

    // WHEN ECS moved the tasks, the service is steady again, and the emptied instance's event arrives 90 s later
    world.tasks.forEach((t) => Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    clock.now = at(90);
    const second = await handler(emptied(ci));
    // THEN the lifecycle action is completed once, and the drain time measured from the recorded start
    expect(second.outcomes[0]).toMatchObject({ decision: 'CONTINUE', actions: ['CompleteLifecycleAction:CONTINUE'] });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    // AND the known tasks were described, never listed again: one ListTasks for the whole drain
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(1);
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
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', actions: ['StopTask×1'] });
    expect(ci.attributes[DRAIN_STARTED_AT_ATTRIBUTE]).toBe(at(0).toISOString());
    expect(metrics.points).toEqual([expect.objectContaining({ name: 'StandaloneTasksStopped', value: 1 })]);
    // AND a re-check neither lists tasks again (the environment, cold, listed the RUNNING ones once) nor stops twice
    await handler(sweep());
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input.desiredStatus)).toEqual(['RUNNING']);
  });

  it('finds a task it never listed: an occupied instance whose known tasks all stopped is listed again', async () => {
    // GIVEN a drain whose listing saw one task; a second one was placed in the instant before DRAINING
    const { handler, world, ci, ecsMock, clock } = setup((w, c) => w.addTask(c, 'a', { group: 'service:web' }));
    await handler(terminateEvent());
    world.tasks[0].lastStatus = 'STOPPED';
    world.tasks[0].desiredStatus = 'STOPPED';
    world.addTask(ci, 'late', { group: 'service:web', desiredStatus: 'STOPPED', lastStatus: 'STOPPING' });
    clock.now = at(60);
    // WHEN the sweep checks the instance, still holding resources: a suspect (the task may have stopped between reads)
    await handler(sweep());
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(1);
    // AND the next sweep finds the same
    clock.now = at(120);
    const result = await handler(sweep());
    // THEN it lists again (RUNNING and STOPPED) and waits for the task it found
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', reason: expect.stringMatching(/1 service task/) });
    expect(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input.desiredStatus)).toEqual([
      'RUNNING',
      'RUNNING',
      'STOPPED',
    ]);
  });

  it('holds a drain past maxDrainSeconds, with an alert-level line and DrainsHeld, and never forces it', async () => {
    const { handler, ci, logger, metrics, clock, asgMock } = setup((w, c) => {
      w.addTask(c, 'stuck', { group: 'service:web' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
    });
    clock.now = at(3600);
    const result = await handler(sweep());
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', reason: expect.stringMatching(/1 service task/) });
    expect(decisionLines(logger)).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ forced: false, decision: 'WAIT', alert: 'drain.held' }),
      }),
    ]);
    expect(metrics.points.map((p) => p.name)).toEqual(['DrainsHeld']);
    expect(ci.attributes[HELD_ALERTED_AT_ATTRIBUTE]).toBe(at(3600).toISOString());
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
  });

  it('forces CONTINUE only with the forceDrainAfterSeconds opt-in, with DrainsForced', async () => {
    const { handler, metrics, clock } = setup(
      (w, c) => {
        w.addTask(c, 'stuck', { group: 'service:web' });
        c.status = 'DRAINING';
        c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      },
      { forceDrainAfterSeconds: 7200 },
    );
    clock.now = at(7200);
    const result = await handler(sweep());
    expect(result.outcomes[0]).toMatchObject({
      decision: 'CONTINUE',
      reason: expect.stringMatching(/drain forced after 7200 s/),
    });
    expect(metrics.points.map((p) => p.name)).toEqual(['DrainSeconds', 'DrainsForced']);
  });

  it('continues at once for an instance that never registered', async () => {
    const { handler, world, ecsMock, asgMock } = setup(() => undefined);
    world.containerInstances = [];
    const result = await handler(terminateEvent());
    expect(result.outcomes[0]).toMatchObject({
      decision: 'CONTINUE',
      reason: expect.stringMatching(/not registered/),
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
    // GIVEN a DRAINING instance this environment has not listed yet, its drain started half a heartbeat timeout ago
    // (the default terminate hook's 3600 s) and no heartbeat recorded
    const { handler, asgMock, ecsMock, ci, logger } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(-1800).toISOString();
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

  it('drains an instance that already has 10 custom attributes, without recording its state', async () => {
    // GIVEN an ACTIVE instance carrying the 10 custom attributes ECS allows per resource
    const { handler, ci, logger, ecsMock } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web' });
      for (let i = 0; i < 10; i++) c.attributes[`team.label-${i}`] = 'x';
    });
    // WHEN the terminate event arrives
    const result = await handler(terminateEvent());
    // THEN the drain starts anyway (DRAINING), and the unrecorded state is a warning, not an error
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT' });
    expect(result.outcomes[0].actions).not.toContain('PutAttributes');
    expect(ci.status).toBe('DRAINING');
    expect(ecsMock.commandCalls(PutAttributesCommand)).toHaveLength(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'drain state not recorded' }),
    );
  });

  it('ignores the documented container-instance event of another cluster', async () => {
    const { handler, ecsMock } = setup(() => undefined);
    const result = await handler(loadEvent('ecs-container-instance-state-change.json'));
    expect(result.ignored).toEqual([expect.stringMatching(/cluster .* is not/)]);
    expect(ecsMock.calls()).toHaveLength(0);
  });
});
