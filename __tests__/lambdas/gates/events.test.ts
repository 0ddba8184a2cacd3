import { eventsOf, routeEvent } from '../../../lambdas/gates/events';
import {
  ASG,
  CLUSTER_ARN,
  LAUNCH_HOOK,
  TERMINATE_HOOK,
  adaptEvent,
  loadEvent,
  testConfig,
} from './helpers/gate-test-kit';

const config = testConfig();
const launchEvent = (detail = {}) =>
  adaptEvent(
    'autoscaling-launch-lifecycle-action.json',
    {},
    { AutoScalingGroupName: ASG, LifecycleHookName: LAUNCH_HOOK, ...detail },
  );
const terminateEvent = (detail = {}) =>
  adaptEvent(
    'autoscaling-terminate-lifecycle-action.json',
    {},
    { AutoScalingGroupName: ASG, LifecycleHookName: TERMINATE_HOOK, ...detail },
  );

describe('routeEvent', () => {
  it('turns the documented launch lifecycle event into a lifecycle check (placeholder time tolerated)', () => {
    // GIVEN AWS's sample launch event with our ASG and hook
    const trigger = routeEvent(launchEvent(), config, 'launch');
    // THEN it names the instance and token; the sample's literal "yyyy-mm-dd…" time is treated as unknown
    expect(trigger).toEqual({
      kind: 'lifecycle',
      instanceId: 'i-1234567890abcdef0',
      asgName: ASG,
      hookName: LAUNCH_HOOK,
      token: '87654321-4321-4321-4321-210987654321',
      eventTime: undefined,
      origin: 'EC2',
      destination: 'AutoScalingGroup',
    });
  });

  it('routes the documented terminate event to the drain gate only', () => {
    expect(routeEvent(terminateEvent(), config, 'drain')).toMatchObject({
      kind: 'lifecycle',
      hookName: TERMINATE_HOOK,
    });
    expect(routeEvent(terminateEvent(), config, 'launch')).toMatchObject({
      kind: 'ignore',
      reason: /not handled by the launch gate/,
    });
  });

  it.each([
    ['another ASG', () => launchEvent({ AutoScalingGroupName: 'other-asg' }), /ASG other-asg is not managed/],
    [
      'another hook',
      () => launchEvent({ LifecycleHookName: 'my-lifecycle-hook' }),
      /hook my-lifecycle-hook is not launch-gate/,
    ],
    [
      'the unchanged sample (foreign ASG)',
      () => loadEvent('autoscaling-launch-lifecycle-action.json'),
      /ASG my-asg|hook my-lifecycle-hook/,
    ],
    [
      'another cluster',
      () => loadEvent('ecs-container-instance-state-change.json'),
      /cluster arn:aws:ecs:us-east-1:111122223333:cluster\/default is not/,
    ],
    ['malformed detail', () => launchEvent({ EC2InstanceId: 42 }), /malformed EC2 Instance-launch Lifecycle Action/],
    ['not an event at all', () => 'hello', /not an EventBridge event/],
    [
      'an unrelated detail-type',
      () => ({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: {} }),
      /not handled/,
    ],
  ])('ignores %s with a reason', (_name, build, reason) => {
    // GIVEN a foreign or unknown event  WHEN routed  THEN it is ignored, never thrown
    expect(routeEvent(build(), config, 'launch')).toMatchObject({
      kind: 'ignore',
      reason: expect.stringMatching(reason),
    });
  });

  it('routes the documented container instance event of our cluster to both gates by status, once it is empty', () => {
    const sample = (status: string, empty: boolean) => {
      const event = adaptEvent('ecs-container-instance-state-change.json', {}, { clusterArn: CLUSTER_ARN, status });
      return empty
        ? { ...event, detail: { ...event.detail, remainingResources: event.detail.registeredResources } }
        : event;
    };
    expect(routeEvent(sample('ACTIVE', true), config, 'launch')).toEqual({
      kind: 'instance',
      instanceId: 'i-f3a8506b',
      why: 'container instance ACTIVE',
      // The event names the container instance: the gate skips the ListContainerInstances lookup.
      containerInstanceArn:
        'arn:aws:ecs:us-east-1:111122223333:container-instance/b54a2a04-046f-4331-9d74-3f6d7f6ca315',
    });
    // As documented, the sample's instance runs tasks (remaining CPU 1988 of 2048): a placement, no news for a gate.
    expect(routeEvent(sample('ACTIVE', false), config, 'launch')).toMatchObject({
      kind: 'ignore',
      reason: /ACTIVE with tasks placed/,
    });
    expect(routeEvent(sample('ACTIVE', true), config, 'drain')).toMatchObject({
      kind: 'ignore',
      reason: /ACTIVE needs no drain re-check/,
    });
    expect(routeEvent(sample('DRAINING', true), config, 'drain')).toMatchObject({
      kind: 'instance',
      instanceId: 'i-f3a8506b',
    });
    expect(routeEvent(sample('DRAINING', false), config, 'drain')).toMatchObject({ kind: 'ignore' });
    // Registration failures always count.
    expect(routeEvent(sample('REGISTRATION_FAILED', false), config, 'launch')).toMatchObject({ kind: 'instance' });
  });

  it('has no route for task state changes: no rule delivers them', () => {
    const stopped = adaptEvent(
      'ecs-task-state-change.json',
      {},
      { clusterArn: CLUSTER_ARN, lastStatus: 'STOPPED', launchType: 'EC2', containerInstanceArn: 'arn:ci/abc' },
    );
    expect(routeEvent(stopped, config, 'drain')).toMatchObject({ kind: 'ignore', reason: /not handled/ });
    expect(routeEvent(stopped, config, 'launch')).toMatchObject({ kind: 'ignore', reason: /not handled/ });
  });

  it('unpacks an SQS batch of EventBridge events, and passes a direct event through', () => {
    const scheduled = loadEvent('eventbridge-scheduled-event.json');
    const batch = {
      Records: [
        { messageId: 'm-1', body: JSON.stringify(scheduled), eventSource: 'aws:sqs' },
        { messageId: 'm-2', body: 'not json', eventSource: 'aws:sqs' },
      ],
    };
    expect(eventsOf(batch)).toEqual([
      { messageId: 'm-1', event: scheduled },
      { messageId: 'm-2', event: 'not json' },
    ]);
    expect(eventsOf(scheduled)).toEqual([{ event: scheduled }]);
  });

  it('turns the documented scheduled event into a sweep for both gates', () => {
    const scheduled = loadEvent('eventbridge-scheduled-event.json');
    expect(routeEvent(scheduled, config, 'launch')).toEqual({ kind: 'sweep' });
    expect(routeEvent(scheduled, config, 'drain')).toEqual({ kind: 'sweep' });
  });
});
