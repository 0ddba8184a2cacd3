/** The drain gate's cost per check (batched reads and writes, no listing when the drain knows enough) and alerts. */
import { CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeContainerInstancesCommand,
  ListTasksCommand,
  PutAttributesCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { createDrainGateHandler } from '../../../lambdas/gates/gate-handlers';
import type { Notifier } from '../../../lambdas/shared/notifier';
import type { Notification } from '../../../lambdas/shared/notifier-format';
import {
  DRAIN_SERVICES_ATTRIBUTE,
  DRAIN_STARTED_AT_ATTRIBUTE,
  LAST_HEARTBEAT_AT_ATTRIBUTE,
} from '../../../lambdas/gates/drain-state';
import { ID, emptied, ecsCallNames, setup, sweep, terminateEvent } from './helpers/drain-gate-kit';
import { FakeWorld, fakeDeps } from './helpers/fake-aws';
import { ASG, TERMINATE_HOOK, adaptEvent, at, testConfig } from './helpers/gate-test-kit';

describe('drain gate cost per check', () => {
  it('checks an emptied instance whose drain recorded its services without listing any task', async () => {
    // GIVEN a DRAINING instance, emptied, whose drain start recorded the services that ran there (another environment
    // started the drain: this one knows none of its tasks)
    const { handler, ci, ecsMock } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      c.attributes[DRAIN_SERVICES_ATTRIBUTE] = 'web';
    });
    // WHEN its DRAINING event arrives
    const result = await handler(emptied(ci));
    // THEN 1 DescribeContainerInstances and 1 DescribeServices decide: CONTINUE
    expect(ecsCallNames(ecsMock)).toEqual(['DescribeContainerInstances', 'DescribeServices']);
    expect(result.outcomes[0]).toMatchObject({ decision: 'CONTINUE' });
  });

  it('re-checks an emptied instance from its DRAINING event without lookup, then only reads services', async () => {
    // GIVEN a DRAINING instance whose task stopped, its service not stable yet
    const { handler, world, ci, ecsMock, asgMock, clock } = setup((w, c) => {
      w.addTask(c, 'a', { group: 'service:web', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
      c.status = 'DRAINING';
      c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      c.attributes[LAST_HEARTBEAT_AT_ATTRIBUTE] = at(0).toISOString();
    });
    world.services[0].runningCount = 1;
    // WHEN the container-instance event (DRAINING, no task) arrives: it names the container instance
    const first = await handler(emptied(ci));
    // THEN no ListContainerInstances: 1 describe, the cold environment's one listing (STOPPED: the instance is
    // empty, only the services that ran there matter), then 1 DescribeTasks and 1 DescribeServices
    expect(first.outcomes[0]).toMatchObject({
      decision: 'WAIT',
      reason: expect.stringMatching(/service web not stable/),
    });
    expect(ecsCallNames(ecsMock)).toEqual([
      'DescribeContainerInstances',
      'ListTasks',
      'DescribeTasks',
      'DescribeServices',
    ]);
    // WHEN the service is stable a minute later and the sweep re-checks
    world.services[0].runningCount = 2;
    ecsMock.resetHistory();
    clock.now = at(60);
    const second = await handler(sweep());
    // THEN the remembered (stopped) task names the service: 1 describe and 1 DescribeServices, then CONTINUE
    expect(ecsCallNames(ecsMock)).toEqual(['DescribeContainerInstances', 'DescribeServices']);
    expect(second.outcomes[0]).toMatchObject({ decision: 'CONTINUE' });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
  });

  it('serves a batch of instances with batched reads and writes', async () => {
    // GIVEN 25 ACTIVE instances to drain, each running one web task, and their 25 terminate events in one SQS batch
    const world = new FakeWorld();
    world.addService('web', { runningCount: 25, desiredCount: 25 });
    const ids = Array.from({ length: 25 }, (_, i) => `i-0old${String(i).padStart(13, '0')}`);
    for (const id of ids) {
      world.addInstance(id, 'Terminating:Wait');
      world.addTask(world.register(id), `t-${id}`, { group: 'service:web' });
    }
    const kit = fakeDeps(world, testConfig(), at(0));
    const handler = createDrainGateHandler(kit.deps);
    const records = ids.map((id, i) => ({
      messageId: `m-${i}`,
      body: JSON.stringify(
        adaptEvent(
          'autoscaling-terminate-lifecycle-action.json',
          {},
          { AutoScalingGroupName: ASG, LifecycleHookName: TERMINATE_HOOK, EC2InstanceId: id },
        ),
      ),
    }));
    // WHEN one invocation takes the batch
    const result = await handler({ Records: records });
    // THEN every instance waits, DRAINING is set 10 per call and the drain state (start, heartbeat — the events are
    // old — and services) written 10 attributes per call
    expect(result.outcomes.map((o) => o.decision)).toEqual(Array(25).fill('WAIT'));
    expect(result.batchItemFailures).toEqual([]);
    const drains = kit.ecsMock.commandCalls(UpdateContainerInstancesStateCommand).map((c) => c.args[0].input);
    expect(drains.map((input) => input.containerInstances?.length)).toEqual([10, 10, 5]);
    const puts = kit.ecsMock.commandCalls(PutAttributesCommand).map((c) => c.args[0].input.attributes?.length);
    expect(puts).toEqual([10, 10, 10, 10, 10, 10, 10, 5]);
    // AND the instances were read together: one DescribeAutoScalingInstances, one DescribeContainerInstances
    expect(kit.ecsMock.commandCalls(DescribeContainerInstancesCommand)).toHaveLength(1);
    expect(kit.ecsMock.commandCalls(ListTasksCommand)).toHaveLength(25);
  });
});

describe('drain gate alerts', () => {
  const recording = () => {
    const sent: Notification[] = [];
    const notifier: Notifier = {
      notify: async (n) => (sent.push(n), { deduped: false, sns: 'sent', webhook: 'skipped', delivered: true }),
    };
    return { sent, notifier };
  };

  it('pages at once, naming the numbers and the fix, when a service without headroom holds the drain', async () => {
    // GIVEN a task of a service ECS cannot move (desired 1, minimum 100 %, maximum 150 %)
    const { sent, notifier } = recording();
    const { deps, world, clock } = setup((w, c) => w.addTask(c, 'api-1', { group: 'service:api' }));
    world.addService('api', {
      runningCount: 1,
      desiredCount: 1,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 },
    });
    const handler = createDrainGateHandler({ ...deps, notifier });
    // WHEN the terminate event arrives, and the sweep re-checks ten minutes later
    const first = await handler(terminateEvent());
    clock.now = at(600);
    await handler(sweep());
    // THEN the instance is held (WAIT), and operators are paged once, with the service, its numbers and the fix
    expect(first.outcomes[0]).toMatchObject({ decision: 'WAIT', reason: expect.stringMatching(/^held: service api/) });
    expect(sent).toEqual([
      expect.objectContaining({
        kind: 'drain.held',
        severity: 'critical',
        dedupeKey: `drain.held:${ID}:${at(0).toISOString()}`,
      }),
    ]);
    expect(sent[0].details.reason).toMatch(
      /desired 1, minimumHealthyPercent 100, maximumPercent 150.*maximumPercent=200/,
    );
  });

  it('sends a critical notification when the opted-in force drain ends a wait', async () => {
    const { sent, notifier } = recording();
    const { deps, clock } = setup(
      (w, c) => {
        w.addTask(c, 'stuck', { group: 'service:web' });
        c.status = 'DRAINING';
        c.attributes[DRAIN_STARTED_AT_ATTRIBUTE] = at(0).toISOString();
      },
      { forceDrainAfterSeconds: 3600 },
    );
    clock.now = at(3600);
    await createDrainGateHandler({ ...deps, notifier })(sweep());
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'drain.forced', severity: 'critical', dedupeKey: `drain.forced:${ID}` }),
    ]);
  });
});
