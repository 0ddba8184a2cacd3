import fc from 'fast-check';
import {
  DrainObservation,
  DrainPolicy,
  classifyTask,
  decideDrain,
  serviceInstability,
} from '../../../lambdas/gates/drain-decision';
import { ContainerInstanceView, GateDecision, ServiceView, TaskView } from '../../../lambdas/gates/types';
import { T0, at } from './helpers/gate-test-kit';

const POLICY: DrainPolicy = {
  maxDrainSeconds: 3600,
  standaloneTaskGraceSeconds: 300,
  heartbeatTimeoutSeconds: 300,
  heldAlertIntervalSeconds: 3600,
};
const ID = 'i-0old';

const draining: ContainerInstanceView = {
  arn: 'arn:ci/old',
  ec2InstanceId: ID,
  status: 'DRAINING',
  agentConnected: true,
  attributes: {},
};
const active: ContainerInstanceView = { ...draining, status: 'ACTIVE' };

const task = (name: string, extra: Partial<TaskView> = {}): TaskView => ({
  taskArn: `arn:task/${name}`,
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  ...extra,
});
const webTask = (name: string, extra: Partial<TaskView> = {}) =>
  task(name, { group: 'service:web', startedBy: 'ecs-svc/123', ...extra });
const daemonTask = (name: string, extra: Partial<TaskView> = {}) =>
  task(name, { group: 'service:logs', startedBy: 'ecs-svc/9', ...extra });
const standaloneTask = (name: string, extra: Partial<TaskView> = {}) =>
  task(name, { group: 'family:batch', startedBy: 'cron', ...extra });

const service = (name: string, extra: Partial<ServiceView> = {}): ServiceView => ({
  name,
  status: 'ACTIVE',
  schedulingStrategy: 'REPLICA',
  runningCount: 3,
  desiredCount: 3,
  deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
  ...extra,
});
const web = service('web');
const logs = service('logs', { schedulingStrategy: 'DAEMON' });

function observe(extra: Partial<DrainObservation> = {}): DrainObservation {
  return {
    instanceId: ID,
    lifecycleState: 'Terminating:Wait',
    containerInstance: draining,
    tasks: [],
    services: [web, logs],
    state: { drainStartedAt: T0, lastHeartbeatAt: T0 },
    ...extra,
  };
}

interface Row {
  name: string;
  observation: DrainObservation;
  policy?: Partial<DrainPolicy>;
  elapsed: number;
  decision: GateDecision;
  reason: RegExp;
  setDraining?: boolean;
  stops?: number;
  forced?: boolean;
  heartbeat?: boolean;
}

// Decision table: every branch of the drain gate, deadlines at their edges.
const TABLE: Row[] = [
  {
    name: 'never registered continues at once',
    observation: observe({ containerInstance: undefined }),
    elapsed: 0,
    decision: 'CONTINUE',
    reason: /not registered/,
  },
  {
    name: 'INACTIVE (deregistered) continues at once',
    observation: observe({ containerInstance: { ...draining, status: 'INACTIVE' } }),
    elapsed: 0,
    decision: 'CONTINUE',
    reason: /not registered/,
  },
  {
    name: 'already Terminating:Proceed (duplicate): nothing to do',
    observation: observe({ lifecycleState: 'Terminating:Proceed' }),
    elapsed: 10,
    decision: 'NOOP',
    reason: /Terminating:Proceed, not held for a drain/,
  },
  {
    name: 'instance already terminated / gone from the ASG',
    observation: observe({ lifecycleState: undefined }),
    elapsed: 10,
    decision: 'NOOP',
    reason: /not in the Auto Scaling group/,
  },
  {
    name: 'ACTIVE with tasks: set DRAINING and wait',
    observation: observe({ containerInstance: active, tasks: [webTask('a')] }),
    elapsed: 0,
    decision: 'WAIT',
    setDraining: true,
    reason: /setting i-0old to DRAINING; waiting: 1 service task/,
  },
  {
    name: 'ACTIVE without tasks: still set DRAINING first (no placement race)',
    observation: observe({ containerInstance: active }),
    elapsed: 0,
    decision: 'WAIT',
    setDraining: true,
    reason: /setting i-0old to DRAINING/,
  },
  {
    name: 'DRAINING is not set again',
    observation: observe({ tasks: [webTask('a')] }),
    elapsed: 10,
    decision: 'WAIT',
    setDraining: false,
    reason: /1 service task/,
  },
  {
    name: 'replica task still running waits',
    observation: observe({ tasks: [webTask('a'), webTask('b', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' })] }),
    elapsed: 10,
    decision: 'WAIT',
    reason: /1 service task\(s\) still running/,
  },
  {
    name: 'task stopping (desired STOPPED, last RUNNING) waits',
    observation: observe({ tasks: [webTask('a', { desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING' })] }),
    elapsed: 10,
    decision: 'WAIT',
    reason: /1 service task/,
  },
  {
    name: 'daemon tasks do not block while replica tasks remain: reported as stopped last',
    observation: observe({ tasks: [webTask('a'), daemonTask('d')] }),
    elapsed: 10,
    decision: 'WAIT',
    reason: /1 service task.*1 daemon task\(s\) \(ECS stops them after the service tasks\)/,
  },
  {
    name: 'only daemon tasks left: wait for ECS to stop them',
    observation: observe({ tasks: [daemonTask('d')] }),
    elapsed: 10,
    decision: 'WAIT',
    reason: /1 daemon task\(s\) stopping/,
  },
  {
    name: 'standalone task inside the grace period is left alone',
    observation: observe({ tasks: [standaloneTask('s')] }),
    elapsed: 299,
    decision: 'WAIT',
    stops: 0,
    reason: /1 standalone task/,
  },
  {
    name: 'standalone task at the end of the grace period is stopped',
    observation: observe({ tasks: [standaloneTask('s')] }),
    elapsed: 300,
    decision: 'WAIT',
    stops: 1,
    reason: /1 standalone task/,
  },
  {
    name: 'standalone task already stopping is not stopped twice',
    observation: observe({ tasks: [standaloneTask('s', { desiredStatus: 'STOPPED' })] }),
    elapsed: 900,
    decision: 'WAIT',
    stops: 0,
    reason: /1 standalone task/,
  },
  {
    name: 'grace 0 never stops standalone tasks',
    observation: observe({ tasks: [standaloneTask('s')] }),
    policy: { standaloneTaskGraceSeconds: 0 },
    elapsed: 3599,
    decision: 'WAIT',
    stops: 0,
    reason: /standalone/,
  },
  {
    name: 'grace 0: past the max drain time the wait is reported and held, not forced',
    observation: observe({ tasks: [standaloneTask('s')] }),
    policy: { standaloneTaskGraceSeconds: 0 },
    elapsed: 3600,
    decision: 'WAIT',
    forced: false,
    reason: /1 standalone task/,
  },
  {
    name: 'grace 0 with the force opt-in: the forced drain names what is left',
    observation: observe({ tasks: [standaloneTask('s')] }),
    policy: { standaloneTaskGraceSeconds: 0, forceDrainAfterSeconds: 3600 },
    elapsed: 3600,
    decision: 'CONTINUE',
    forced: true,
    reason: /forced after 3600 s.*1 standalone task/,
  },
  {
    name: 'no task left, service not at desired count waits',
    observation: observe({
      tasks: [webTask('a', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' })],
      services: [service('web', { runningCount: 2 })],
    }),
    elapsed: 60,
    decision: 'WAIT',
    reason: /service web not stable \(running 2\/3\)/,
  },
  {
    name: 'no task left, two deployments waits',
    observation: observe({
      tasks: [webTask('a', { lastStatus: 'STOPPED' })],
      services: [
        service('web', {
          deployments: [
            { status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
            { status: 'ACTIVE', rolloutState: 'COMPLETED' },
          ],
        }),
      ],
    }),
    elapsed: 60,
    decision: 'WAIT',
    reason: /2 deployments in progress/,
  },
  {
    name: 'no task left, rollout IN_PROGRESS waits',
    observation: observe({
      tasks: [webTask('a', { lastStatus: 'STOPPED' })],
      services: [service('web', { deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }] })],
    }),
    elapsed: 60,
    decision: 'WAIT',
    reason: /rollout IN_PROGRESS/,
  },
  {
    name: 'no task left, services stable: continue',
    observation: observe({
      tasks: [webTask('a', { lastStatus: 'STOPPED' }), daemonTask('d', { lastStatus: 'STOPPED' })],
    }),
    elapsed: 60,
    decision: 'CONTINUE',
    forced: false,
    reason: /no task left/,
  },
  {
    name: 'deleted service (not described) does not block',
    observation: observe({ tasks: [task('x', { group: 'service:gone', lastStatus: 'STOPPED' })] }),
    elapsed: 60,
    decision: 'CONTINUE',
    reason: /no task left/,
  },
  {
    name: 'unstable daemon service does not block',
    observation: observe({
      tasks: [daemonTask('d', { lastStatus: 'STOPPED' })],
      services: [service('logs', { schedulingStrategy: 'DAEMON', runningCount: 1 })],
    }),
    elapsed: 60,
    decision: 'CONTINUE',
    reason: /no task left/,
  },
  {
    name: '1 s before the max drain time: still waiting',
    observation: observe({ tasks: [webTask('a')] }),
    elapsed: 3599,
    decision: 'WAIT',
    reason: /3599 s; report after 3600 s/,
  },
  {
    name: 'exactly at the max drain time: still waiting (held, reported), never forced by default',
    observation: observe({ tasks: [webTask('a')] }),
    elapsed: 3600,
    decision: 'WAIT',
    forced: false,
    reason: /waiting: 1 service task/,
  },
  {
    name: 'at forceDrainAfterSeconds (opt-in): forced continue',
    observation: observe({ tasks: [webTask('a')] }),
    policy: { forceDrainAfterSeconds: 3600 },
    elapsed: 3600,
    decision: 'CONTINUE',
    forced: true,
    reason: /drain forced after 3600 s \(forceDrainAfterSeconds 3600\): waiting: 1 service task/,
  },
  {
    name: 'heartbeat not due before half the heartbeat timeout',
    observation: observe({ tasks: [webTask('a')], state: { drainStartedAt: T0, lastHeartbeatAt: at(1000) } }),
    elapsed: 1149,
    decision: 'WAIT',
    heartbeat: false,
    reason: /service task/,
  },
  {
    name: 'heartbeat due at half the heartbeat timeout',
    observation: observe({ tasks: [webTask('a')], state: { drainStartedAt: T0, lastHeartbeatAt: at(1000) } }),
    elapsed: 1150,
    decision: 'WAIT',
    heartbeat: true,
    reason: /service task/,
  },
  {
    name: 'no heartbeat recorded yet: heartbeat at once',
    observation: observe({ tasks: [webTask('a')], state: {} }),
    elapsed: 0,
    decision: 'WAIT',
    heartbeat: true,
    reason: /service task/,
  },
];

describe('decideDrain', () => {
  it.each(TABLE)(
    '$name → $decision',
    ({ observation, policy, elapsed, decision, reason, setDraining, stops, forced, heartbeat }) => {
      // GIVEN a terminating instance observed `elapsed` seconds after its drain started
      // WHEN the drain gate decides
      const result = decideDrain(observation, { ...POLICY, ...policy }, at(elapsed));
      // THEN decision, reason and side effects match the table row
      expect(result.decision).toBe(decision);
      expect(result.reason).toMatch(reason);
      if (setDraining !== undefined) expect(result.setDraining).toBe(setDraining);
      if (stops !== undefined) expect(result.stopTaskArns).toHaveLength(stops);
      if (forced !== undefined) expect(result.forced).toBe(forced);
      if (heartbeat !== undefined) expect(result.heartbeat).toBe(heartbeat);
    },
  );

  it('records the drain start from the lifecycle event time when no state exists', () => {
    // GIVEN no recorded drain start, and a lifecycle event that started 100 s ago
    const result = decideDrain(observe({ state: {}, tasks: [webTask('a')], lifecycleEventTime: T0 }), POLICY, at(100));
    // THEN the event time is recorded and counts toward the max drain time
    expect(result.recordDrainStartedAt).toEqual(T0);
    expect(result.elapsedSeconds).toBe(100);
  });

  it('never continues while a task is on the instance, unless the operator opted into forcing', () => {
    const taskArb = fc.record({
      taskArn: fc.uuid(),
      lastStatus: fc.constantFrom('PENDING', 'RUNNING', 'DEACTIVATING', 'STOPPED'),
      desiredStatus: fc.constantFrom('RUNNING', 'STOPPED'),
      group: fc.constantFrom('service:web', 'service:logs', 'family:batch', undefined),
    });
    fc.assert(
      fc.property(fc.array(taskArb, { maxLength: 30 }), fc.integer({ min: 0, max: 10_000 }), (tasks, elapsed) => {
        const held = decideDrain(observe({ tasks }), POLICY, at(elapsed));
        const optIn = decideDrain(observe({ tasks }), { ...POLICY, forceDrainAfterSeconds: 3600 }, at(elapsed));
        const occupied = tasks.some((t) => t.lastStatus !== 'STOPPED');
        // THEN by default any task not STOPPED means WAIT, however long the drain has taken
        if (occupied && held.decision !== 'WAIT') return false;
        if (held.forced) return false;
        // AND with the opt-in, at or after the deadline the gate continues, forced
        if (occupied && elapsed >= 3600) return optIn.decision === 'CONTINUE' && optIn.forced;
        return true;
      }),
    );
  });
});

describe('classifyTask and serviceInstability', () => {
  const byName = new Map([
    ['web', web],
    ['logs', logs],
  ]);
  it.each([
    [webTask('a'), 'replica'],
    [daemonTask('d'), 'daemon'],
    [standaloneTask('s'), 'standalone'],
    [task('x', { startedBy: 'ecs-svc/77' }), 'replica'],
  ])('classifies %o as %s', (t, kind) => {
    expect(classifyTask(t, byName).kind).toBe(kind);
  });

  it('treats a deleted (INACTIVE) service as stable', () => {
    expect(serviceInstability(service('old', { status: 'INACTIVE', runningCount: 0 }))).toBeUndefined();
  });
});
