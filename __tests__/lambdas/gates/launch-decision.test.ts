import fc from 'fast-check';
import { LaunchObservation, LaunchPolicy, decideLaunch } from '../../../lambdas/gates/launch-decision';
import { ContainerInstanceView, GateDecision } from '../../../lambdas/gates/types';
import { T0, at } from './helpers/gate-test-kit';

const POLICY: LaunchPolicy = { joinDeadlineSeconds: 600, requireHealthyInstance: true, heartbeatTimeoutSeconds: 300 };
const ID = 'i-0abc';

function ci(extra: Partial<ContainerInstanceView> = {}): ContainerInstanceView {
  return {
    arn: 'arn:ci/1',
    ec2InstanceId: ID,
    status: 'ACTIVE',
    agentConnected: true,
    healthStatus: 'OK',
    attributes: {},
    ...extra,
  };
}

function observe(extra: Partial<LaunchObservation> = {}): LaunchObservation {
  return {
    instanceId: ID,
    lifecycleState: 'Pending:Wait',
    ec2: { instanceId: ID, state: 'running', launchTime: T0, imageId: 'ami-0aaa' },
    waitStartedAt: T0,
    ...extra,
  };
}

interface Row {
  name: string;
  observation: LaunchObservation;
  policy?: Partial<LaunchPolicy>;
  elapsed: number;
  decision: GateDecision;
  heartbeat?: boolean;
  reason: RegExp;
}

// Decision table: every branch of the launch gate, deadlines at their edges.
const TABLE: Row[] = [
  {
    name: 'ACTIVE, agent connected, health OK',
    observation: observe({ containerInstance: ci() }),
    elapsed: 40,
    decision: 'CONTINUE',
    reason: /ACTIVE .*health OK/,
  },
  {
    name: 'old agent without health report does not block',
    observation: observe({ containerInstance: ci({ healthStatus: undefined }) }),
    elapsed: 40,
    decision: 'CONTINUE',
    reason: /not reported/,
  },
  {
    name: 'health IMPAIRED waits',
    observation: observe({ containerInstance: ci({ healthStatus: 'IMPAIRED' }) }),
    elapsed: 40,
    decision: 'WAIT',
    reason: /health is IMPAIRED/,
  },
  {
    name: 'health INSUFFICIENT_DATA waits',
    observation: observe({ containerInstance: ci({ healthStatus: 'INSUFFICIENT_DATA' }) }),
    elapsed: 40,
    decision: 'WAIT',
    reason: /INSUFFICIENT_DATA/,
  },
  {
    name: 'health INITIALIZING waits',
    observation: observe({ containerInstance: ci({ healthStatus: 'INITIALIZING' }) }),
    elapsed: 40,
    decision: 'WAIT',
    reason: /INITIALIZING/,
  },
  {
    name: 'health IMPAIRED ignored when requireHealthyInstance=false',
    observation: observe({ containerInstance: ci({ healthStatus: 'IMPAIRED' }) }),
    policy: { requireHealthyInstance: false },
    elapsed: 40,
    decision: 'CONTINUE',
    reason: /health IMPAIRED/,
  },
  {
    name: 'health IMPAIRED at the join deadline: drained before it is abandoned',
    observation: observe({ containerInstance: ci({ healthStatus: 'IMPAIRED' }) }),
    elapsed: 600,
    decision: 'WAIT',
    reason: /abandoning i-0abc \(container instance health is IMPAIRED after 600 s.*DRAINING first/,
  },
  {
    name: 'health IMPAIRED past the join deadline, drained and empty: abandons',
    observation: observe({
      containerInstance: ci({ status: 'DRAINING', healthStatus: 'IMPAIRED', holdsResources: false }),
    }),
    elapsed: 700,
    decision: 'ABANDON',
    reason: /DRAINING after 700 s/,
  },
  {
    name: 'agent disconnected waits',
    observation: observe({ containerInstance: ci({ agentConnected: false }) }),
    elapsed: 40,
    decision: 'WAIT',
    reason: /agent is not connected/,
  },
  {
    name: 'REGISTERING waits',
    observation: observe({ containerInstance: ci({ status: 'REGISTERING' }) }),
    elapsed: 40,
    decision: 'WAIT',
    reason: /REGISTERING/,
  },
  {
    name: 'REGISTRATION_FAILED abandons at once',
    observation: observe({ containerInstance: ci({ status: 'REGISTRATION_FAILED' }) }),
    elapsed: 5,
    decision: 'ABANDON',
    reason: /REGISTRATION_FAILED/,
  },
  {
    name: 'not registered, early: wait without heartbeat',
    observation: observe(),
    elapsed: 60,
    decision: 'WAIT',
    heartbeat: false,
    reason: /not registered.*60 s of 600 s/,
  },
  {
    name: 'not registered, half the heartbeat timeout passed: heartbeat',
    observation: observe(),
    elapsed: 150,
    decision: 'WAIT',
    heartbeat: true,
    reason: /not registered/,
  },
  {
    name: 'not registered, 1 s before the join deadline: wait',
    observation: observe(),
    elapsed: 599,
    decision: 'WAIT',
    heartbeat: true,
    reason: /599 s of 600 s/,
  },
  {
    name: 'not registered, exactly at the join deadline: abandon',
    observation: observe(),
    elapsed: 600,
    decision: 'ABANDON',
    reason: /not registered in the cluster yet after 600 s \(join deadline 600 s\)/,
  },
  {
    name: 'wait start unknown never abandons',
    observation: observe({ waitStartedAt: undefined, ec2: { instanceId: ID, state: 'running' } }),
    elapsed: 10_000,
    decision: 'WAIT',
    heartbeat: true,
    reason: /wait start unknown/,
  },
  {
    name: 'EC2 instance terminated abandons',
    observation: observe({ ec2: { instanceId: ID, state: 'terminated' } }),
    elapsed: 30,
    decision: 'ABANDON',
    reason: /is terminated/,
  },
  {
    name: 'EC2 instance shutting-down abandons',
    observation: observe({ ec2: { instanceId: ID, state: 'shutting-down' }, containerInstance: ci() }),
    elapsed: 30,
    decision: 'ABANDON',
    reason: /shutting-down/,
  },
  {
    name: 'already InService (duplicate event): nothing to do',
    observation: observe({ lifecycleState: 'InService', containerInstance: ci() }),
    elapsed: 30,
    decision: 'NOOP',
    reason: /InService, not held by a launch hook/,
  },
  {
    name: 'no longer in the ASG: nothing to do',
    observation: observe({ lifecycleState: undefined }),
    elapsed: 30,
    decision: 'NOOP',
    reason: /not in the Auto Scaling group/,
  },
  {
    name: 'wrong AMI, registered: drained before it is abandoned',
    observation: observe({ containerInstance: ci(), expectedAmiId: 'ami-0bbb' }),
    elapsed: 30,
    decision: 'WAIT',
    reason: /abandoning i-0abc \(i-0abc runs ami-0aaa but the node group expects ami-0bbb\)/,
  },
  {
    name: 'wrong AMI, not registered: abandons at once',
    observation: observe({ expectedAmiId: 'ami-0bbb' }),
    elapsed: 30,
    decision: 'ABANDON',
    reason: /runs ami-0aaa but the node group expects ami-0bbb/,
  },
  {
    name: 'expected AMI matches',
    observation: observe({ containerInstance: ci(), expectedAmiId: 'ami-0aaa' }),
    elapsed: 30,
    decision: 'CONTINUE',
    reason: /ACTIVE/,
  },
  {
    name: 'warm pool entry is refused (warm pools are not supported)',
    observation: observe({ destination: 'WarmPool' }),
    elapsed: 30,
    decision: 'ABANDON',
    reason: /warm pool/,
  },
];

describe('decideLaunch', () => {
  it.each(TABLE)('$name → $decision', ({ observation, policy, elapsed, decision, heartbeat, reason }) => {
    // GIVEN the observed state of a new instance, `elapsed` seconds after launch
    // WHEN the launch gate decides
    const result = decideLaunch(observation, { ...POLICY, ...policy }, at(elapsed));
    // THEN the decision, reason and heartbeat match the table row
    expect(result.decision).toBe(decision);
    expect(result.reason).toMatch(reason);
    if (heartbeat !== undefined) expect(result.heartbeat).toBe(heartbeat);
    if (decision !== 'WAIT') expect(result.heartbeat).toBe(false);
  });

  it('never abandons a registered, healthy instance, whatever the time', () => {
    // GIVEN any elapsed time and any deadline
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 1, max: 7200 }), (elapsed, deadline) => {
        // WHEN the instance is ACTIVE, connected and OK
        const result = decideLaunch(
          observe({ containerInstance: ci() }),
          { ...POLICY, joinDeadlineSeconds: deadline },
          at(elapsed),
        );
        // THEN it always continues
        return result.decision === 'CONTINUE';
      }),
    );
  });

  it('abandons an unregistered instance exactly when the join deadline is reached', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 7200 }), (elapsed, deadline) => {
        const result = decideLaunch(observe(), { ...POLICY, joinDeadlineSeconds: deadline }, at(elapsed));
        return result.decision === (elapsed >= deadline ? 'ABANDON' : 'WAIT');
      }),
    );
  });
});
