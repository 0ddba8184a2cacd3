/**
 * Whether a container instance still holds tasks, and the state a drain keeps between invocations. ECS counts only
 * RUNNING and PENDING tasks in runningTasksCount / pendingTasksCount (API_ContainerInstance.html; aws-cdk #13506 is the
 * trap of trusting them): a task still DEACTIVATING or STOPPING is in neither count, yet holds its CPU and memory
 * until it is STOPPED, so the resources are what decide.
 */
import { decideDrain, heartbeatDueWhileThrottled, instanceOccupied } from '../../../lambdas/gates/drain-decision';
import {
  DRAIN_SERVICES_ATTRIBUTE,
  drainStateAttributes,
  readDrainState,
  servicesAttributeValue,
} from '../../../lambdas/gates/drain-state';
import { holdsResources } from '../../../lambdas/gates/resources';
import { ContainerInstanceView, TaskView } from '../../../lambdas/gates/types';
import { GateWarmCache } from '../../../lambdas/gates/warm-cache';
import { T0, at } from './helpers/gate-test-kit';

const resources = (cpu: number, memory: number) => [
  { name: 'CPU', type: 'INTEGER', integerValue: cpu },
  { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
  { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22'] },
];

describe('holdsResources', () => {
  it.each([
    ['nothing placed (remaining = registered)', resources(2048, 3767), resources(2048, 3767), false],
    ['the documented sample (CPU 1988 of 2048 left)', resources(2048, 3767), resources(1988, 767), true],
    ['a task with memory only', resources(2048, 3767), resources(2048, 3000), true],
    ['resources not reported', undefined, resources(2048, 3767), undefined],
    ['no CPU or MEMORY entries to compare', [{ name: 'PORTS' }], [{ name: 'PORTS' }], undefined],
  ])('%s', (_name, registered, remaining, expected) => {
    expect(holdsResources(registered, remaining)).toBe(expected);
  });
});

describe('instanceOccupied', () => {
  const ci = (extra: Partial<ContainerInstanceView>): ContainerInstanceView => ({
    arn: 'arn:ci/1',
    ec2InstanceId: 'i-1',
    status: 'DRAINING',
    agentConnected: true,
    attributes: {},
    ...extra,
  });
  const stopping: TaskView = { taskArn: 'arn:t/1', lastStatus: 'STOPPING', desiredStatus: 'STOPPED' };

  it('trusts the resources over the counts: a STOPPING task counts as neither RUNNING nor PENDING', () => {
    const counted0 = ci({ runningTasksCount: 0, pendingTasksCount: 0, holdsResources: true });
    expect(instanceOccupied(counted0, undefined)).toBe(true);
    const empty = ci({ runningTasksCount: 0, pendingTasksCount: 0, holdsResources: false });
    expect(instanceOccupied(empty, [])).toBe(false);
  });

  it('falls back to the known tasks, then the counts, when the resources are not reported', () => {
    expect(instanceOccupied(ci({ runningTasksCount: 0, pendingTasksCount: 0 }), [stopping])).toBe(true);
    expect(instanceOccupied(ci({ runningTasksCount: 1, pendingTasksCount: 0 }), undefined)).toBe(true);
    expect(instanceOccupied(ci({ runningTasksCount: 0, pendingTasksCount: 0 }), undefined)).toBe(false);
  });

  it('never continues a drain whose instance still holds resources, whatever the counts say', () => {
    const decision = decideDrain(
      {
        instanceId: 'i-1',
        lifecycleState: 'Terminating:Wait',
        containerInstance: ci({ runningTasksCount: 0, pendingTasksCount: 0, holdsResources: true }),
        tasks: undefined,
        services: [],
        state: { drainStartedAt: T0 },
      },
      {
        maxDrainSeconds: 3600,
        standaloneTaskGraceSeconds: 300,
        heartbeatTimeoutSeconds: 3600,
        heldAlertIntervalSeconds: 3600,
      },
      at(60),
    );
    expect(decision.decision).toBe('WAIT');
  });
});

describe('heartbeatDueWhileThrottled', () => {
  const heartbeatAt = (time: Date | undefined) => (time === undefined ? undefined : { lastHeartbeatAt: time });
  it.each([
    ['nothing known: due', undefined, undefined, 0, true],
    ['recorded recently', at(0), undefined, 1799, false],
    ['recorded half a timeout ago', at(0), undefined, 1800, true],
    ['remembered more recently than recorded', at(0), at(1000), 1800, false],
    ['only remembered (container instance unreadable)', undefined, at(1000), 2799, false],
    ['remembered older than recorded', at(1000), at(0), 2799, false],
  ])('%s', (_name, recorded, remembered, now, due) => {
    expect(heartbeatDueWhileThrottled(heartbeatAt(recorded), remembered, undefined, 3600, at(now))).toBe(due);
  });

  it.each([
    ['the lifecycle event time starts the timer', undefined, at(0), 1799, false],
    ['half a timeout after the lifecycle event', undefined, at(0), 1800, true],
    ['a recorded drain start (from the event) starts it', { drainStartedAt: at(100) }, undefined, 1899, false],
    [
      'a heartbeat after the drain start wins',
      { drainStartedAt: at(0), lastHeartbeatAt: at(1000) },
      at(0),
      2799,
      false,
    ],
  ])('%s', (_name, recorded, eventTime, now, due) => {
    expect(heartbeatDueWhileThrottled(recorded, undefined, eventTime, 3600, at(now))).toBe(due);
  });
});

describe('GateWarmCache', () => {
  it('prefers the trigger hint and remembers ARNs', () => {
    const cache = new GateWarmCache();
    cache.rememberArn('i-1', 'arn:ci/1');
    expect(cache.knownArns(['i-1', 'i-2'], new Map([['i-2', 'arn:ci/2']]))).toEqual(
      new Map([
        ['i-1', 'arn:ci/1'],
        ['i-2', 'arn:ci/2'],
      ]),
    );
  });

  it("keeps a drain's tasks until the drain ends", () => {
    const cache = new GateWarmCache();
    cache.rememberDrainTasks('arn:ci/1', ['arn:t/1', 'arn:t/1', 'arn:t/2']);
    cache.rememberTask({ taskArn: 'arn:t/1', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
    expect(cache.drainTaskArns('arn:ci/1')).toEqual(['arn:t/1', 'arn:t/2']);
    expect(cache.lastSeen('arn:t/1')?.lastStatus).toBe('STOPPED');
    cache.forgetDrain('arn:ci/1');
    expect(cache.drainTaskArns('arn:ci/1')).toBeUndefined();
    expect(cache.lastSeen('arn:t/1')).toBeUndefined();
  });

  it('remembers a settled instance for ten minutes, and forgets it when a lifecycle event names it', () => {
    const cache = new GateWarmCache();
    cache.rememberSettled('i-1', at(0));
    expect(cache.isSettled('i-1', at(599))).toBe(true);
    expect(cache.isSettled('i-1', at(600))).toBe(false);
    cache.rememberSettled('i-2', at(0));
    cache.forgetSettled('i-2');
    expect(cache.isSettled('i-2', at(1))).toBe(false);
  });
});

describe('the services a drain records (drain-state.ts)', () => {
  const ci = (value?: string): ContainerInstanceView => ({
    arn: 'arn:ci/1',
    ec2InstanceId: 'i-1',
    status: 'DRAINING',
    agentConnected: true,
    attributes: value === undefined ? {} : { [DRAIN_SERVICES_ATTRIBUTE]: value },
  });

  it.each([
    ['service names joined by spaces, sorted', ['web', 'api'], 'api web'],
    ['no service task: a placeholder (an attribute value cannot be empty)', [], '-'],
    ['longer than an attribute value (128 characters): not recorded', ['a'.repeat(64), 'b'.repeat(64)], undefined],
    ['a name an attribute value cannot hold: not recorded', ['web', 'we!rd'], undefined],
  ])('%s', (_name, names, value) => {
    expect(servicesAttributeValue(names)).toBe(value);
    expect(drainStateAttributes({ services: names })[DRAIN_SERVICES_ATTRIBUTE]).toBe(value);
  });

  it.each([
    ['api web', ['api', 'web']],
    ['-', []],
    [undefined, undefined],
    ['hand edited!', undefined],
  ])('reads %p back as %p', (value, services) => {
    expect(readDrainState(ci(value)).services).toEqual(services);
  });
});
