import {
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  ECSServiceException,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { clearApprovedAmiCache } from '../../../lambdas/gates/adapters/ec2';
import { createLaunchGateHandler } from '../../../lambdas/gates/gate-handlers';
import type { Notifier } from '../../../lambdas/shared/notifier';
import type { Notification } from '../../../lambdas/shared/notifier-format';
import { FakeWorld, fakeDeps } from './helpers/fake-aws';
import {
  ASG,
  CLUSTER_ARN,
  LAUNCH_HOOK,
  adaptEvent,
  at,
  decisionLines,
  loadEvent,
  testConfig,
} from './helpers/gate-test-kit';

const ID = 'i-0new0000000000001';
const launchEvent = () =>
  adaptEvent(
    'autoscaling-launch-lifecycle-action.json',
    {},
    { AutoScalingGroupName: ASG, LifecycleHookName: LAUNCH_HOOK, EC2InstanceId: ID },
  );
/** The documented container-instance event as ECS sends it when the agent registered (nothing placed yet). */
const registered = (detail: Record<string, unknown> = {}) => {
  const event = adaptEvent(
    'ecs-container-instance-state-change.json',
    {},
    { clusterArn: CLUSTER_ARN, ec2InstanceId: ID, status: 'ACTIVE', ...detail },
  );
  return { ...event, detail: { ...event.detail, remainingResources: event.detail.registeredResources } };
};
const throttled = () =>
  new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'Rate exceeded' });

function setup(prepare: (world: FakeWorld) => void, now = at(60), configOverrides = {}) {
  const world = new FakeWorld();
  world.addInstance(ID, 'Pending:Wait');
  prepare(world);
  const kit = fakeDeps(world, testConfig(configOverrides), now);
  return { world, ...kit, handler: createLaunchGateHandler(kit.deps) };
}

describe('launch gate handler', () => {
  beforeEach(() => clearApprovedAmiCache());

  it('continues a healthy registered instance from the documented launch event, with one decision line', async () => {
    // GIVEN the instance registered ACTIVE, agent connected, health OK
    const { handler, asgMock, logger, metrics, world } = setup((w) => w.register(ID, { health: 'OK' }));
    // WHEN the AWS sample launch event (our ids) arrives
    const result = await handler(launchEvent());
    // THEN the lifecycle action is completed with CONTINUE using the event's token
    const completes = asgMock.commandCalls(CompleteLifecycleActionCommand).map((call) => call.args[0].input);
    expect(completes).toEqual([
      {
        AutoScalingGroupName: ASG,
        LifecycleHookName: LAUNCH_HOOK,
        LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
        LifecycleActionResult: 'CONTINUE',
      },
    ]);
    expect(world.instances.get(ID)?.lifecycleState).toBe('InService');
    expect(result.outcomes).toEqual([
      expect.objectContaining({ instanceId: ID, decision: 'CONTINUE', actions: ['CompleteLifecycleAction:CONTINUE'] }),
    ]);
    // AND one structured line names instance, hook, decision and reason
    expect(decisionLines(logger)).toEqual([
      expect.objectContaining({
        level: 'info',
        fields: expect.objectContaining({
          instanceId: ID,
          hook: LAUNCH_HOOK,
          decision: 'CONTINUE',
          reason: expect.stringMatching(/ACTIVE/),
        }),
      }),
    ]);
    // AND the time in the gate is measured from the EC2 launch time
    expect(metrics.points).toEqual([
      { name: 'LaunchGateSeconds', unit: 'Seconds', value: 60, dimensions: { cluster: 'prod', nodeGroup: 'general' } },
    ]);
  });

  it('completes exactly once when the same event is delivered twice', async () => {
    const { handler, asgMock } = setup((w) => w.register(ID));
    // WHEN the event is delivered twice
    const first = await handler(launchEvent());
    const second = await handler(launchEvent());
    // THEN only the first delivery completes; the duplicate sees InService and does nothing
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    expect(first.outcomes[0].decision).toBe('CONTINUE');
    expect(second.outcomes[0]).toMatchObject({
      decision: 'NOOP',
      reason: expect.stringMatching(/InService/),
      actions: [],
    });
  });

  it('treats "No active Lifecycle Action found" on completion as already done', async () => {
    // GIVEN Auto Scaling still reports Pending:Wait, but the action was completed elsewhere meanwhile
    const { handler, asgMock, metrics } = setup((w) => w.register(ID));
    asgMock.on(CompleteLifecycleActionCommand).rejects(
      new AutoScalingServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: {},
        message: `No active Lifecycle Action found with instance ID ${ID}`,
      }),
    );
    // WHEN the gate decides CONTINUE
    const result = await handler(launchEvent());
    // THEN the refusal counts as done: no failure, no metric, decision reported as NOOP
    expect(result.outcomes[0]).toMatchObject({
      decision: 'NOOP',
      reason: expect.stringMatching(/already complete \(would have been CONTINUE/),
      actions: [],
    });
    expect(metrics.points).toEqual([]);
  });

  it('lets only one of two concurrent deliveries complete the action', async () => {
    // GIVEN two concurrent deliveries of the same event
    const { handler } = setup((w) => w.register(ID));
    const [a, b] = await Promise.all([handler(launchEvent()), handler(launchEvent())]);
    // THEN exactly one CONTINUE succeeded; the other saw the action already complete (or InService)
    expect([a.outcomes[0].decision, b.outcomes[0].decision].sort()).toEqual(['CONTINUE', 'NOOP']);
  });

  it('abandons an instance that did not register by the join deadline', async () => {
    // GIVEN no container instance, 600 s after launch
    const { handler, asgMock, metrics, logger } = setup(() => undefined, at(600));
    const result = await handler(launchEvent());
    // THEN ABANDON with the reason, counted and logged at warn level
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)[0].args[0].input.LifecycleActionResult).toBe('ABANDON');
    expect(result.outcomes[0].reason).toMatch(/not registered in the cluster yet after 600 s/);
    expect(metrics.points.map((p) => p.name)).toEqual(['LaunchGateSeconds', 'LaunchesAbandoned']);
    expect(decisionLines(logger)[0].level).toBe('warn');
  });

  it('waits and heartbeats (no completion) while the instance is still joining', async () => {
    const { handler, asgMock } = setup(() => undefined, at(200));
    const result = await handler(launchEvent());
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', actions: ['RecordLifecycleActionHeartbeat'] });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(1);
  });

  it('does not look an EC2-pending instance up in ECS (no agent can have registered yet)', async () => {
    // GIVEN the launch event of an instance EC2 still reports as pending
    const { handler, ecsMock } = setup((w) => Object.assign(w.instances.get(ID)!, { ec2State: 'pending' }));
    // WHEN the launch gate checks it
    const result = await handler(launchEvent());
    // THEN it waits without any ECS call
    expect(result.outcomes[0]).toMatchObject({ decision: 'WAIT', reason: expect.stringMatching(/not registered/) });
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('uses the container instance named by the ECS event and remembers it: no ListContainerInstances', async () => {
    const { handler, ecsMock, world } = setup((w) => w.register(ID, { status: 'REGISTERING' }));
    const arn = world.containerInstances[0].arn;
    const event = registered({ containerInstanceArn: arn });
    await handler(event);
    await handler(loadEvent('eventbridge-scheduled-event.json'));
    expect(ecsMock.commandCalls(ListContainerInstancesCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(DescribeContainerInstancesCommand)).toHaveLength(2);
  });

  it('surfaces ECS throttling as "retry later", never as a decision', async () => {
    const { handler, asgMock, ecsMock, logger } = setup((w) => w.register(ID));
    ecsMock.on(ListContainerInstancesCommand).rejects(throttled());
    const result = await handler(launchEvent());
    expect(result).toMatchObject({ retryLater: true, outcomes: [{ instanceId: ID, decision: 'RETRY_LATER' }] });
    expect(result.outcomes[0].reason).toMatch(/ListContainerInstances was throttled/);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ decision: 'RETRY_LATER' }) }),
    );
  });

  it('rethrows unexpected errors without completing the lifecycle action', async () => {
    const { handler, asgMock, ecsMock } = setup((w) => w.register(ID));
    ecsMock.on(DescribeContainerInstancesCommand).rejects(
      new ECSServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: {},
        message: 'not authorized',
      }),
    );
    await expect(handler(launchEvent())).rejects.toThrow(/not authorized/);
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
  });

  it('re-checks at once on the documented container-instance event (registered, empty), completing by id', async () => {
    const { handler, asgMock } = setup((w) => w.register(ID));
    const result = await handler(registered());
    expect(result.outcomes[0].decision).toBe('CONTINUE');
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)[0].args[0].input).toMatchObject({
      InstanceId: ID,
      LifecycleHookName: LAUNCH_HOOK,
    });
  });

  it('sweeps every Pending:Wait instance in one batched pass', async () => {
    // GIVEN three waiting instances: ready, still joining, registration failed; and one InService
    const { handler, asgMock, ecsMock, ec2Mock } = setup((w) => {
      w.register(ID);
      w.addInstance('i-0joining', 'Pending:Wait');
      w.addInstance('i-0failed', 'Pending:Wait');
      w.register('i-0failed', { status: 'REGISTRATION_FAILED' });
      w.addInstance('i-0serving', 'InService');
    });
    const result = await handler(loadEvent('eventbridge-scheduled-event.json'));
    // THEN each waiting instance gets its decision from one list + one describe per service
    expect(Object.fromEntries(result.outcomes.map((o) => [o.instanceId, o.decision]))).toEqual({
      [ID]: 'CONTINUE',
      'i-0joining': 'WAIT',
      'i-0failed': 'ABANDON',
    });
    expect(ecsMock.commandCalls(ListContainerInstancesCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(DescribeContainerInstancesCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
    expect(
      asgMock
        .commandCalls(CompleteLifecycleActionCommand)
        .map((c) => c.args[0].input.InstanceId)
        .sort(),
    ).toEqual([ID, 'i-0failed'].sort());
  });

  it('still evaluates the other instances of a sweep when one fails, then rethrows', async () => {
    // GIVEN two ready instances; completing the second is denied
    const { handler, world, asgMock } = setup((w) => {
      w.register(ID);
      w.addInstance('i-0denied', 'Pending:Wait');
      w.register('i-0denied');
    });
    const denied = new AutoScalingServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: {},
      message: 'not authorized',
    });
    asgMock.on(CompleteLifecycleActionCommand, { InstanceId: 'i-0denied' }).rejects(denied);
    // WHEN the sweep runs  THEN the failure surfaces for Lambda's retry / DLQ
    await expect(handler(loadEvent('eventbridge-scheduled-event.json'))).rejects.toThrow(
      /launch gate failed for 1 of 2 instance\(s\): i-0denied: AccessDenied/,
    );
    // AND the healthy instance was still completed
    expect(world.instances.get(ID)?.lifecycleState).toBe('InService');
    expect(world.instances.get('i-0denied')?.lifecycleState).toBe('Pending:Wait');
  });

  it('drains, then abandons, an instance whose AMI differs from the approved-AMI parameter', async () => {
    const { deps, asgMock, world, clock } = setup((w) => w.register(ID), at(60), {
      nodeGroups: [
        {
          name: 'general',
          asgName: ASG,
          launchHookName: LAUNCH_HOOK,
          terminateHookName: 't',
          launchHeartbeatSeconds: 300,
          terminateHeartbeatSeconds: 300,
          approvedAmiParameter: '/ecs/ami',
        },
      ],
    });
    const ssm = new SSMClient({ region: 'us-west-2' });
    mockClient(ssm)
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: '{"image_id":"ami-0bbb","image_name":"al2023"}' } });
    const handler = createLaunchGateHandler({ ...deps, ssm });
    // WHEN the registered instance (ECS may already have placed tasks on it) is checked
    const first = await handler(launchEvent());
    // THEN it is set DRAINING first, and abandoned once nothing runs there
    expect(first.outcomes[0]).toMatchObject({
      decision: 'WAIT',
      reason: expect.stringMatching(/abandoning .*runs ami-0aaa but the node group expects ami-0bbb.*DRAINING first/),
      actions: ['UpdateContainerInstancesState:DRAINING'],
    });
    expect(world.containerInstances[0].status).toBe('DRAINING');
    clock.now = at(80);
    const second = await handler(launchEvent());
    expect(second.outcomes[0]).toMatchObject({
      decision: 'ABANDON',
      reason: expect.stringMatching(/runs ami-0aaa but the node group expects ami-0bbb/),
    });
    expect(asgMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
  });

  it('refuses the documented warm-pool launch event (warm pools are not supported) and alerts', async () => {
    const sent: string[] = [];
    const notifier = {
      notify: async (n: { kind: string }) => (
        sent.push(n.kind),
        { deduped: false, sns: 'sent', webhook: 'skipped', delivered: true }
      ),
    } as never;
    const { deps } = setup((w) => (w.instances.get(ID)!.lifecycleState = 'Warmed:Pending:Wait'));
    const event = adaptEvent(
      'autoscaling-warm-pool-launch-lifecycle-action.json',
      {},
      { AutoScalingGroupName: ASG, LifecycleHookName: LAUNCH_HOOK, EC2InstanceId: ID },
    );
    const result = await createLaunchGateHandler({ ...deps, notifier })(event);
    expect(result.outcomes[0]).toMatchObject({ decision: 'ABANDON', reason: expect.stringMatching(/warm pool/) });
    expect(sent).toEqual(['launch.warm-pool']);
  });

  it('logs a foreign event once and makes no AWS call', async () => {
    const { handler, asgMock, ecsMock, logger } = setup(() => undefined);
    const result = await handler(loadEvent('autoscaling-launch-lifecycle-action.json'));
    expect(result.ignored).toEqual([expect.stringMatching(/not managed by this gate|is not launch-gate/)]);
    expect(logger.lines).toEqual([expect.objectContaining({ message: 'event ignored' })]);
    expect(asgMock.calls()).toHaveLength(0);
    expect(ecsMock.calls()).toHaveLength(0);
  });
});

describe('launch gate alerts', () => {
  it('notifies once when it abandons an instance, and not while it waits', async () => {
    // GIVEN a recording notifier and an instance that never registered
    const sent: Notification[] = [];
    const notifier: Notifier = {
      notify: async (n) => (sent.push(n), { deduped: false, sns: 'sent', webhook: 'skipped', delivered: true }),
    };
    const waiting = setup(() => undefined, at(200));
    await createLaunchGateHandler({ ...waiting.deps, notifier })(launchEvent());
    expect(sent).toEqual([]);
    // WHEN the join deadline passes
    const late = setup(() => undefined, at(600));
    await createLaunchGateHandler({ ...late.deps, notifier })(launchEvent());
    // THEN one warning names the instance, the group and the reason, deduplicated per instance
    expect(sent).toEqual([
      expect.objectContaining({
        kind: 'launch.abandoned',
        severity: 'warning',
        dedupeKey: `launch.abandoned:${ID}`,
        details: expect.objectContaining({
          instance: ID,
          autoScalingGroup: ASG,
          reason: expect.stringMatching(/not registered/),
        }),
      }),
    ]);
  });
});
