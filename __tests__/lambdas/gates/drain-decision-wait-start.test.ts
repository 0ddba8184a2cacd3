import {
  DrainObservation,
  DrainPolicy,
  decideDrain,
  heartbeatDueWhileThrottled,
  waitStartOf,
} from '../../../lambdas/gates/drain-decision';
import { ContainerInstanceView, TaskView } from '../../../lambdas/gates/types';
import { at } from './helpers/gate-test-kit';

// The drain gate's heartbeat when it finds a wait without the lifecycle event's time (a sweep or an ECS event got there
// first): at once, unless a sweep of the same environment listed the instance outside the drain wait states at most a
// quarter of the heartbeat timeout ago.
const POLICY: DrainPolicy = {
  maxDrainSeconds: 3600,
  standaloneTaskGraceSeconds: 300,
  heartbeatTimeoutSeconds: 3600,
  heldAlertIntervalSeconds: 3600,
};
const active: ContainerInstanceView = {
  arn: 'arn:ci/old',
  ec2InstanceId: 'i-0old',
  status: 'ACTIVE',
  agentConnected: true,
  attributes: {},
};
const running: TaskView = {
  taskArn: 'arn:task/a',
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  group: 'service:web',
  startedBy: 'ecs-svc/1',
};

function firstCheck(extra: Partial<DrainObservation>): DrainObservation {
  return {
    instanceId: 'i-0old',
    lifecycleState: 'Terminating:Wait',
    containerInstance: active,
    tasks: [running],
    services: [],
    state: {},
    ...extra,
  };
}

interface Row {
  readonly name: string;
  readonly observation: DrainObservation;
  /** Seconds after at(0) of the check. */
  readonly now: number;
  readonly heartbeat: boolean;
  /** Recorded drain start, seconds after at(0). */
  readonly recorded: number;
}

const TABLE: Row[] = [
  {
    name: 'nothing bounds the start of the wait: heartbeat at once',
    observation: firstCheck({}),
    now: 100,
    heartbeat: true,
    recorded: 100,
  },
  {
    name: 'listed outside the wait 60 s ago: no heartbeat yet',
    observation: firstCheck({ waitStartedAfter: at(40) }),
    now: 100,
    heartbeat: false,
    recorded: 100,
  },
  {
    name: 'listed outside the wait a quarter of the heartbeat timeout ago: no heartbeat yet',
    observation: firstCheck({ waitStartedAfter: at(0) }),
    now: 900,
    heartbeat: false,
    recorded: 900,
  },
  {
    name: 'listed outside the wait longer ago than a quarter of the timeout: heartbeat at once',
    observation: firstCheck({ waitStartedAfter: at(0) }),
    now: 901,
    heartbeat: true,
    recorded: 901,
  },
  {
    name: 'the lifecycle event time wins over a bound',
    observation: firstCheck({ waitStartedAfter: at(0), lifecycleEventTime: at(1000) }),
    now: 2700,
    heartbeat: false,
    recorded: 1000,
  },
];

describe('decideDrain: the start of a wait first seen without its lifecycle event', () => {
  it.each(TABLE)('$name', ({ observation, now, heartbeat, recorded }) => {
    // GIVEN an ACTIVE instance in Terminating:Wait the drain gate has no record of
    // WHEN the gate decides at `now`
    const result = decideDrain(observation, POLICY, at(now));
    // THEN it starts the drain, heartbeats only when nothing recent bounds the start of the wait, and records the
    // drain start (the event time, else now: the standalone-task grace counts from the drain)
    expect(result.decision).toBe('WAIT');
    expect(result.setDraining).toBe(true);
    expect(result.heartbeat).toBe(heartbeat);
    expect(result.recordDrainStartedAt).toEqual(at(recorded));
    expect(result.elapsedSeconds).toBe(now - recorded);
  });

  it('a throttled check uses the bound as well, and heartbeats without one', () => {
    // GIVEN a check whose container instance could not be read (no recorded state, no heartbeat remembered)
    // WHEN it asks whether a heartbeat is due 100 s after a listing that showed the instance InService
    const bound = waitStartOf({ waitStartedAfter: at(0) }, 3600, at(100));
    const bounded = heartbeatDueWhileThrottled(undefined, undefined, bound, 3600, at(100));
    const unbounded = heartbeatDueWhileThrottled(undefined, undefined, undefined, 3600, at(100));
    // THEN the bounded one waits and the unbounded one heartbeats
    expect([bounded, unbounded]).toEqual([false, true]);
  });
});
