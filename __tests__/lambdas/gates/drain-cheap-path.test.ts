import fc from 'fast-check';
import {
  DrainObservation,
  DrainPolicy,
  decideDrain,
  heartbeatDueWhileThrottled,
  needsTaskDetail,
  standaloneCheckDue,
} from '../../../lambdas/gates/drain-decision';
import { GateMemory } from '../../../lambdas/gates/memory';
import { ContainerInstanceView, DrainState, TaskView } from '../../../lambdas/gates/types';
import { T0, at } from './helpers/gate-test-kit';

const POLICY: DrainPolicy = { maxDrainSeconds: 3600, standaloneTaskGraceSeconds: 300, heartbeatTimeoutSeconds: 3600 };
const ci = (extra: Partial<ContainerInstanceView> = {}): ContainerInstanceView => ({
  arn: 'arn:ci/old',
  ec2InstanceId: 'i-0old',
  status: 'DRAINING',
  agentConnected: true,
  attributes: {},
  runningTasksCount: 3,
  pendingTasksCount: 0,
  ...extra,
});
const started: DrainState = { drainStartedAt: T0, lastHeartbeatAt: T0 };
const basics = (extra: Partial<DrainObservation> = {}) => ({
  instanceId: 'i-0old',
  lifecycleState: 'Terminating:Wait',
  containerInstance: ci(),
  state: started,
  ...extra,
});

interface Row {
  name: string;
  observation: ReturnType<typeof basics>;
  elapsed: number;
  policy?: Partial<DrainPolicy>;
  needed: boolean;
  why: RegExp;
}

// Decision table of the cheap path: when does a drain check need ListTasks / DescribeTasks / DescribeServices?
const TABLE: Row[] = [
  {
    name: 'not in Terminating:Wait (duplicate)',
    observation: basics({ lifecycleState: 'Terminating:Proceed' }),
    elapsed: 10,
    needed: false,
    why: /not waiting/,
  },
  {
    name: 'never registered',
    observation: basics({ containerInstance: undefined }),
    elapsed: 10,
    needed: false,
    why: /not registered/,
  },
  {
    name: 'deregistered (INACTIVE)',
    observation: basics({ containerInstance: ci({ status: 'INACTIVE' }) }),
    elapsed: 10,
    needed: false,
    why: /not registered/,
  },
  {
    name: 'ACTIVE: set DRAINING first, whatever runs there',
    observation: basics({ containerInstance: ci({ status: 'ACTIVE' }), state: {} }),
    elapsed: 0,
    needed: false,
    why: /DRAINING first/,
  },
  {
    name: 'DRAINING with running tasks',
    observation: basics(),
    elapsed: 60,
    needed: false,
    why: /3 task\(s\) counted/,
  },
  {
    name: 'DRAINING with only pending tasks',
    observation: basics({ containerInstance: ci({ runningTasksCount: 0, pendingTasksCount: 2 }) }),
    elapsed: 60,
    needed: false,
    why: /2 task\(s\) counted/,
  },
  {
    name: 'DRAINING, no task counted: list (services that ran here)',
    observation: basics({ containerInstance: ci({ runningTasksCount: 0, pendingTasksCount: 0 }) }),
    elapsed: 60,
    needed: true,
    why: /no task counted/,
  },
  {
    name: 'counts not reported: list',
    observation: basics({ containerInstance: ci({ runningTasksCount: undefined, pendingTasksCount: undefined }) }),
    elapsed: 60,
    needed: true,
    why: /not reported/,
  },
  {
    name: 'DEREGISTERING with tasks counted waits',
    observation: basics({ containerInstance: ci({ status: 'DEREGISTERING' }) }),
    elapsed: 60,
    needed: false,
    why: /counted/,
  },
  { name: '1 s before the standalone grace ends', observation: basics(), elapsed: 299, needed: false, why: /counted/ },
  {
    name: 'standalone grace over, never checked: list once',
    observation: basics(),
    elapsed: 300,
    needed: true,
    why: /standalone/,
  },
  {
    name: 'standalone checked 299 s ago: not again yet',
    observation: basics({ state: { ...started, standaloneStoppedAt: at(601) } }),
    elapsed: 900,
    needed: false,
    why: /counted/,
  },
  {
    name: 'standalone checked one grace period ago: again',
    observation: basics({ state: { ...started, standaloneStoppedAt: at(600) } }),
    elapsed: 900,
    needed: true,
    why: /standalone/,
  },
  {
    name: 'grace 0 never lists for standalone tasks',
    observation: basics(),
    policy: { standaloneTaskGraceSeconds: 0 },
    elapsed: 3599,
    needed: false,
    why: /counted/,
  },
  {
    name: 'max drain time reached: list what is left',
    observation: basics(),
    elapsed: 3600,
    needed: true,
    why: /max drain/,
  },
  {
    name: 'max drain time counts from the lifecycle event when nothing is recorded',
    observation: basics({ state: {}, lifecycleEventTime: T0 }),
    elapsed: 3600,
    needed: true,
    why: /max drain/,
  },
];

describe('needsTaskDetail', () => {
  it.each(TABLE)('$name → needed=$needed', ({ observation, elapsed, policy, needed, why }) => {
    // GIVEN what DescribeContainerInstances and the trigger tell  WHEN asked at `elapsed` s into the drain
    const result = needsTaskDetail(observation, { ...POLICY, ...policy }, at(elapsed));
    // THEN the task listing is needed exactly in the table's cases
    expect(result.needed).toBe(needed);
    expect(result.why).toMatch(why);
  });

  it('never skips the listing when the cheap answer could be anything but WAIT', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ACTIVE', 'DRAINING', 'DEREGISTERING'),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 7200 }),
        (status, running, pending, elapsed) => {
          const observation = basics({
            containerInstance: ci({ status, runningTasksCount: running, pendingTasksCount: pending }),
          });
          if (needsTaskDetail(observation, POLICY, at(elapsed)).needed) return true;
          // THEN without a listing, the decision is always a WAIT (never a continue on unseen tasks)
          return decideDrain({ ...observation, services: [] }, POLICY, at(elapsed)).decision === 'WAIT';
        },
      ),
    );
  });
});

describe('decideDrain without a task listing (cheap path)', () => {
  it('waits on the counted tasks, heartbeating when due', () => {
    const result = decideDrain(
      { ...basics({ state: { drainStartedAt: T0, lastHeartbeatAt: T0 } }), services: [] },
      POLICY,
      at(1800),
    );
    expect(result).toMatchObject({ decision: 'WAIT', heartbeat: true, setDraining: false, stopTaskArns: [] });
    expect(result.reason).toMatch(
      /3 task\(s\) still on the instance \(3 running, 0 pending; not listed\) \(1800 s of 3600 s\)/,
    );
  });

  it('sets an ACTIVE instance DRAINING and records the drain start', () => {
    const result = decideDrain(
      { ...basics({ containerInstance: ci({ status: 'ACTIVE' }), state: {}, lifecycleEventTime: T0 }), services: [] },
      POLICY,
      at(2),
    );
    expect(result).toMatchObject({ decision: 'WAIT', setDraining: true, heartbeat: true, recordDrainStartedAt: T0 });
  });

  it('never continues an instance counting no task without a listing', () => {
    const empty = ci({ runningTasksCount: 0, pendingTasksCount: 0 });
    expect(decideDrain({ ...basics({ containerInstance: empty }), services: [] }, POLICY, at(60))).toMatchObject({
      decision: 'WAIT',
      reason: expect.stringMatching(/tasks not listed yet/),
    });
  });

  it('records the standalone check when the listing found nothing to stop', () => {
    const tasks: TaskView[] = [
      { taskArn: 'arn:task/a', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', group: 'service:web' },
    ];
    const result = decideDrain({ ...basics(), tasks, services: [] }, POLICY, at(300));
    expect(result).toMatchObject({ decision: 'WAIT', stopTaskArns: [], recordStandaloneCheckedAt: at(300) });
  });
});

describe('standaloneCheckDue and heartbeatDueWhileThrottled', () => {
  it.each([
    [{}, 299, false],
    [{}, 300, true],
    [{ standaloneStoppedAt: at(300) }, 599, false],
    [{ standaloneStoppedAt: at(300) }, 600, true],
  ] as [DrainState, number, boolean][])('state %o at %i s → %s', (state, elapsed, due) => {
    expect(standaloneCheckDue(state, POLICY, elapsed, at(elapsed))).toBe(due);
  });

  it.each([
    ['nothing known: due', undefined, undefined, 0, true],
    ['recorded recently', at(0), undefined, 1799, false],
    ['recorded half a timeout ago', at(0), undefined, 1800, true],
    ['remembered more recently than recorded', at(0), at(1000), 1800, false],
    ['only remembered (container instance unreadable)', undefined, at(1000), 2799, false],
    ['remembered older than recorded', at(1000), at(0), 2799, false],
  ])('%s', (_name, recorded, remembered, now, due) => {
    expect(heartbeatDueWhileThrottled(recorded, remembered, 3600, at(now))).toBe(due);
  });
});

describe('GateMemory', () => {
  it('prefers the trigger hint, remembers ARNs, and keeps emptied tasks only if all stopped and for 10 minutes', () => {
    const memory = new GateMemory();
    memory.rememberArn('i-1', 'arn:ci/1');
    expect(memory.knownArns(['i-1', 'i-2'], new Map([['i-2', 'arn:ci/2']]))).toEqual(
      new Map([
        ['i-1', 'arn:ci/1'],
        ['i-2', 'arn:ci/2'],
      ]),
    );
    const stopped: TaskView = {
      taskArn: 'arn:task/a',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      group: 'service:web',
    };
    memory.rememberEmptiedTasks('arn:ci/1', [stopped], at(0));
    memory.rememberEmptiedTasks('arn:ci/2', [{ ...stopped, lastStatus: 'DEACTIVATING' }], at(0));
    expect(memory.emptiedTasks('arn:ci/1', at(599))).toEqual([stopped]);
    expect(memory.emptiedTasks('arn:ci/1', at(600))).toBeUndefined();
    expect(memory.emptiedTasks('arn:ci/2', at(1))).toBeUndefined();
  });
});
