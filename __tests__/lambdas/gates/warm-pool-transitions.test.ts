/**
 * Issue 13 item 5: warm pools are rejected (no node-group option creates one), and the gates handle every Warmed:*
 * transition they can meet safely, as documented in "Warm pool example events and patterns"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pools-eventbridge-events.html):
 * - Example 1, launch hook, Origin EC2 → Destination WarmPool (Warmed:Pending:Wait): refused (ABANDON, alert);
 * - Example 2, launch hook, Origin WarmPool → Destination AutoScalingGroup (Pending:Wait): gated like any launch, its
 *   join deadline counted from the lifecycle action, not from the EC2 launch hours ago;
 * - Example 4, terminate hook, Origin AutoScalingGroup → Destination WarmPool (Warmed:Pending:Wait): drained first.
 * Root volume replacement (ReplacingRootVolume:Wait, "Replace root volumes during instance refresh") stops the host:
 * drained first too.
 */
import { DrainObservation, DrainPolicy, decideDrain } from '../../../lambdas/gates/drain-decision';
import { LaunchObservation, LaunchPolicy, decideLaunch } from '../../../lambdas/gates/launch-decision';
import { ContainerInstanceView, TaskView } from '../../../lambdas/gates/types';
import { T0, at } from './helpers/gate-test-kit';

const LAUNCH: LaunchPolicy = { joinDeadlineSeconds: 600, requireHealthyInstance: true, heartbeatTimeoutSeconds: 900 };
const DRAIN: DrainPolicy = {
  maxDrainSeconds: 3600,
  standaloneTaskGraceSeconds: 300,
  heartbeatTimeoutSeconds: 300,
  heldAlertIntervalSeconds: 3600,
};
const ID = 'i-1234567890abcdef0';

describe('launch gate and warm pools', () => {
  it('refuses an instance launching into a warm pool (Example 1)', () => {
    const observation: LaunchObservation = {
      instanceId: ID,
      lifecycleState: 'Warmed:Pending:Wait',
      origin: 'EC2',
      destination: 'WarmPool',
      ec2: { instanceId: ID, state: 'running', launchTime: T0 },
      lifecycleEventTime: T0,
    };
    const decision = decideLaunch(observation, LAUNCH, at(10));
    expect(decision.decision).toBe('ABANDON');
    expect(decision.unsupported).toBe('warm-pool');
  });

  it('counts the join deadline of an instance leaving the warm pool from its lifecycle action (Example 2)', () => {
    const observation: LaunchObservation = {
      instanceId: ID,
      lifecycleState: 'Pending:Wait',
      origin: 'WarmPool',
      destination: 'AutoScalingGroup',
      ec2: { instanceId: ID, state: 'running', launchTime: new Date(T0.getTime() - 5 * 3600 * 1000) },
      lifecycleEventTime: T0,
    };
    const decision = decideLaunch(observation, LAUNCH, at(60));
    expect(decision.decision).toBe('WAIT');
    expect(decision.elapsedSeconds).toBe(60);
  });
});

describe('drain gate and non-terminating waits', () => {
  const ci: ContainerInstanceView = {
    arn: 'arn:ci/1',
    ec2InstanceId: ID,
    status: 'ACTIVE',
    agentConnected: true,
    attributes: {},
    runningTasksCount: 1,
    pendingTasksCount: 0,
    holdsResources: true,
  };
  const task: TaskView = {
    taskArn: 'arn:task/1',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    group: 'service:web',
    startedBy: 'ecs-svc/1',
  };
  const observe = (lifecycleState: string): DrainObservation => ({
    instanceId: ID,
    lifecycleState,
    containerInstance: ci,
    tasks: [task],
    services: [],
    state: {},
  });

  it('drains an instance the terminate hook returns to the warm pool (Example 4)', () => {
    const decision = decideDrain(observe('Warmed:Pending:Wait'), DRAIN, at(0));
    expect(decision).toMatchObject({ decision: 'WAIT', setDraining: true });
  });

  it('drains an instance whose root volume is about to be replaced', () => {
    const decision = decideDrain(observe('ReplacingRootVolume:Wait'), DRAIN, at(0));
    expect(decision).toMatchObject({ decision: 'WAIT', setDraining: true });
  });
});
