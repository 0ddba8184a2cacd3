/**
 * Issue 13 item 3: ECS may place tasks on an ACTIVE container instance while its launch hook is still pending, so an
 * instance the launch gate gives up on (unhealthy, wrong AMI, too late) is set to DRAINING and abandoned only once
 * nothing runs there. A container instance "holds resources" while any task that is not STOPPED is placed on it: the
 * agent releases a task's CPU and memory when it stops ("Amazon ECS container instance state change events").
 */
import { LaunchObservation, LaunchPolicy, decideLaunch } from '../../../lambdas/gates/launch-decision';
import { ContainerInstanceView } from '../../../lambdas/gates/types';
import { T0, at } from './helpers/gate-test-kit';

const POLICY: LaunchPolicy = { joinDeadlineSeconds: 600, requireHealthyInstance: true, heartbeatTimeoutSeconds: 900 };
const ID = 'i-0new';

function ci(extra: Partial<ContainerInstanceView> = {}): ContainerInstanceView {
  return { arn: 'arn:ci/new', ec2InstanceId: ID, status: 'ACTIVE', agentConnected: true, attributes: {}, ...extra };
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

describe('decideLaunch drains before it abandons', () => {
  const rows: [string, Partial<LaunchObservation>, number, string, boolean][] = [
    [
      'unhealthy past the deadline with tasks placed',
      { containerInstance: ci({ healthStatus: 'IMPAIRED', holdsResources: true }) },
      600,
      'WAIT',
      true,
    ],
    [
      'wrong AMI with tasks placed',
      { containerInstance: ci({ holdsResources: true }), expectedAmiId: 'ami-0bbb' },
      60,
      'WAIT',
      true,
    ],
    [
      'wrong AMI, ACTIVE with nothing placed yet (ECS could place one any moment)',
      { containerInstance: ci({ holdsResources: false }), expectedAmiId: 'ami-0bbb' },
      60,
      'WAIT',
      true,
    ],
    [
      'wrong AMI, ACTIVE, task placement not reported',
      { containerInstance: ci(), expectedAmiId: 'ami-0bbb' },
      60,
      'WAIT',
      true,
    ],
    [
      'already DRAINING, tasks still there',
      { containerInstance: ci({ status: 'DRAINING', healthStatus: 'IMPAIRED', holdsResources: true }) },
      700,
      'WAIT',
      false,
    ],
    [
      'DRAINING and empty: abandon now',
      { containerInstance: ci({ status: 'DRAINING', healthStatus: 'IMPAIRED', holdsResources: false }) },
      700,
      'ABANDON',
      false,
    ],
    ['never registered: nothing can be placed', {}, 600, 'ABANDON', false],
    ['registration failed', { containerInstance: ci({ status: 'REGISTRATION_FAILED' }) }, 60, 'ABANDON', false],
    [
      'EC2 instance already terminated',
      { ec2: { instanceId: ID, state: 'terminated', launchTime: T0 } },
      60,
      'ABANDON',
      false,
    ],
  ];
  it.each(rows)('%s', (_name, extra, elapsed, decision, setDraining) => {
    const result = decideLaunch(observe(extra), POLICY, at(elapsed));
    expect(result.decision).toBe(decision);
    expect(result.setDraining).toBe(setDraining);
  });

  it('heartbeats while it waits for an abandoned instance to empty', () => {
    const result = decideLaunch(
      observe({ containerInstance: ci({ status: 'DRAINING', healthStatus: 'IMPAIRED', holdsResources: true }) }),
      POLICY,
      at(800),
    );
    expect(result).toMatchObject({ decision: 'WAIT', heartbeat: true });
    expect(result.reason).toMatch(/abandon/i);
  });
});
