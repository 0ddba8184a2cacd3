/**
 * Issue 13 item 2: no forced stop by default. A service without headroom (ECS can neither start a task above desired
 * nor stop one below minimum healthy: lambdas/shared/service-headroom.ts) can be drained by nobody; the gate holds the
 * instance at the hook — heartbeating up to the hook's global timeout — and alerts at once, then periodically. A slow
 * drain past maxDrainSeconds alerts too, and is held. Forcing is an explicit opt-in: forceDrainAfterSeconds.
 */
import { DrainObservation, DrainPolicy, decideDrain } from '../../../lambdas/gates/drain-decision';
import { ContainerInstanceView, ServiceView, TaskView } from '../../../lambdas/gates/types';
import { T0, at } from './helpers/gate-test-kit';

const POLICY: DrainPolicy = {
  maxDrainSeconds: 3600,
  standaloneTaskGraceSeconds: 300,
  heartbeatTimeoutSeconds: 300,
  heldAlertIntervalSeconds: 3600,
};

const draining: ContainerInstanceView = {
  arn: 'arn:ci/old',
  ec2InstanceId: 'i-0old',
  status: 'DRAINING',
  agentConnected: true,
  attributes: {},
  runningTasksCount: 1,
  pendingTasksCount: 0,
  holdsResources: true,
};
const running: TaskView = {
  taskArn: 'arn:task/api',
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  group: 'service:api',
  startedBy: 'ecs-svc/1',
};
/** desired 1, minimumHealthyPercent 100, maximumPercent 150: ECS may neither add nor remove a task. */
const noHeadroom: ServiceView = {
  name: 'api',
  status: 'ACTIVE',
  schedulingStrategy: 'REPLICA',
  runningCount: 1,
  desiredCount: 1,
  deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
  minimumHealthyPercent: 100,
  maximumPercent: 150,
};
const withHeadroom: ServiceView = { ...noHeadroom, maximumPercent: 200 };

function observe(service: ServiceView, state: DrainObservation['state'] = { drainStartedAt: T0 }): DrainObservation {
  return {
    instanceId: 'i-0old',
    lifecycleState: 'Terminating:Wait',
    containerInstance: draining,
    tasks: [running],
    services: [service],
    state,
  };
}

describe('decideDrain holds, never forces, by default', () => {
  it('holds an instance whose service has no headroom and alerts at once, naming the numbers and the fix', () => {
    // The hook's timer started with the drain (the recorded start came from the lifecycle event): no heartbeat yet.
    const decision = decideDrain(observe(noHeadroom), POLICY, at(30));
    expect(decision).toMatchObject({ decision: 'WAIT', forced: false, heartbeat: false });
    expect(decision.held).toEqual([
      expect.objectContaining({ service: 'api', desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 150 }),
    ]);
    expect(decision.alert).toMatchObject({ kind: 'drain.held' });
    expect(decision.alert?.reason).toMatch(/maximumPercent/);
    expect(decision.recordHeldAlertAt).toEqual(at(30));
  });

  it('keeps holding past maxDrainSeconds instead of forcing the drain', () => {
    const decision = decideDrain(
      observe(noHeadroom, { drainStartedAt: T0, heldAlertedAt: at(3000) }),
      POLICY,
      at(3600),
    );
    expect(decision).toMatchObject({ decision: 'WAIT', forced: false });
    expect(decision.alert).toBeUndefined();
  });

  it('repeats the alert once per heldAlertIntervalSeconds', () => {
    const state = { drainStartedAt: T0, heldAlertedAt: at(60) };
    expect(decideDrain(observe(noHeadroom, state), POLICY, at(60 + 3599)).alert).toBeUndefined();
    expect(decideDrain(observe(noHeadroom, state), POLICY, at(60 + 3600)).alert).toMatchObject({ kind: 'drain.held' });
  });

  it('holds a slow drain past maxDrainSeconds with an alert, even when the service has headroom', () => {
    const decision = decideDrain(observe(withHeadroom), POLICY, at(3600));
    expect(decision).toMatchObject({ decision: 'WAIT', forced: false });
    expect(decision.alert).toMatchObject({ kind: 'drain.held' });
    expect(decision.held).toEqual([]);
  });

  it('does not alert a drain with headroom before maxDrainSeconds', () => {
    const decision = decideDrain(observe(withHeadroom), POLICY, at(600));
    expect(decision).toMatchObject({ decision: 'WAIT', forced: false });
    expect(decision.alert).toBeUndefined();
  });

  it('heartbeats half a heartbeat timeout after the drain started, then after each heartbeat', () => {
    expect(decideDrain(observe(noHeadroom, { drainStartedAt: T0, heldAlertedAt: T0 }), POLICY, at(149)).heartbeat).toBe(
      false,
    );
    expect(decideDrain(observe(noHeadroom, { drainStartedAt: T0, heldAlertedAt: T0 }), POLICY, at(150)).heartbeat).toBe(
      true,
    );
  });

  it('keeps heartbeating while held, so only the global timeout can end the wait', () => {
    const state = { drainStartedAt: T0, lastHeartbeatAt: at(20 * 3600), heldAlertedAt: at(20 * 3600) };
    const decision = decideDrain(observe(noHeadroom, state), POLICY, at(20 * 3600 + 150));
    expect(decision).toMatchObject({ decision: 'WAIT', heartbeat: true, forced: false });
  });

  it('forces only when the operator opted in with forceDrainAfterSeconds', () => {
    const optIn = { ...POLICY, forceDrainAfterSeconds: 7200 };
    expect(decideDrain(observe(noHeadroom), optIn, at(7199)).decision).toBe('WAIT');
    const forced = decideDrain(observe(noHeadroom), optIn, at(7200));
    expect(forced).toMatchObject({ decision: 'CONTINUE', forced: true });
    expect(forced.alert).toMatchObject({ kind: 'drain.forced' });
  });
});
