/**
 * Issue 13 item 1: stability for every deployment controller. CODE_DEPLOY and EXTERNAL services report no deployments
 * (they use task sets), so "exactly one PRIMARY deployment" never held for them. Sources: "Amazon ECS deployment
 * types" and the Service / TaskSet shapes of DescribeServices (API_Service.html, API_TaskSet.html: `taskSets`,
 * `status` PRIMARY | ACTIVE | DRAINING, `stabilityStatus` STEADY_STATE | STABILIZING, `computedDesiredCount`).
 */
import { DrainObservation, DrainPolicy, decideDrain, serviceInstability } from '../../../lambdas/gates/drain-decision';
import { ContainerInstanceView, ServiceView, TaskView } from '../../../lambdas/gates/types';
import { T0, at } from './helpers/gate-test-kit';

const POLICY: DrainPolicy = {
  maxDrainSeconds: 3600,
  standaloneTaskGraceSeconds: 300,
  heartbeatTimeoutSeconds: 300,
  heldAlertIntervalSeconds: 3600,
};

const steadyPrimary = { status: 'PRIMARY', stabilityStatus: 'STEADY_STATE', runningCount: 3, computedDesiredCount: 3 };

function service(extra: Partial<ServiceView>): ServiceView {
  return {
    name: 'web',
    status: 'ACTIVE',
    schedulingStrategy: 'REPLICA',
    runningCount: 3,
    desiredCount: 3,
    deployments: [],
    ...extra,
  };
}

describe('serviceInstability for each deployment controller', () => {
  const rows: [string, Partial<ServiceView>, RegExp | undefined][] = [
    [
      'ECS: one PRIMARY deployment, rollout COMPLETED',
      { deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] },
      undefined,
    ],
    [
      'ECS: fewer tasks running than desired (a replacement still starting)',
      { runningCount: 2, deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] },
      /running 2\/3/,
    ],
    [
      'ECS: more running than desired (replacements started first, old tasks on other draining instances stopping)',
      { runningCount: 5, deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] },
      undefined,
    ],
    [
      'CODE_DEPLOY: more running than desired is not steady (task sets report their own steady state)',
      { deploymentController: 'CODE_DEPLOY', runningCount: 4, taskSets: [steadyPrimary] },
      /running 4\/3/,
    ],
    [
      'ECS: a second deployment in progress',
      { deployments: [{ status: 'PRIMARY' }, { status: 'ACTIVE' }] },
      /deployments/,
    ],
    [
      'CODE_DEPLOY: PRIMARY task set steady, running = desired',
      { deploymentController: 'CODE_DEPLOY', taskSets: [steadyPrimary] },
      undefined,
    ],
    [
      'EXTERNAL: PRIMARY task set steady, running = desired',
      { deploymentController: 'EXTERNAL', taskSets: [steadyPrimary] },
      undefined,
    ],
    [
      'CODE_DEPLOY: PRIMARY task set still stabilizing',
      { deploymentController: 'CODE_DEPLOY', taskSets: [{ ...steadyPrimary, stabilityStatus: 'STABILIZING' }] },
      /STABILIZING/,
    ],
    [
      'CODE_DEPLOY: a replacement task set is ACTIVE (blue/green in progress)',
      { deploymentController: 'CODE_DEPLOY', taskSets: [steadyPrimary, { ...steadyPrimary, status: 'ACTIVE' }] },
      /task sets/,
    ],
    [
      'EXTERNAL: PRIMARY task set below its computed desired count',
      { deploymentController: 'EXTERNAL', taskSets: [{ ...steadyPrimary, runningCount: 2 }] },
      /2\/3/,
    ],
    ['EXTERNAL: no PRIMARY task set at all', { deploymentController: 'EXTERNAL', taskSets: [] }, /no PRIMARY task set/],
    [
      'any controller: service running below desired',
      { deploymentController: 'CODE_DEPLOY', runningCount: 2, taskSets: [steadyPrimary] },
      /running 2\/3/,
    ],
    ['a deleted service is nothing to wait for', { status: 'INACTIVE', deploymentController: 'EXTERNAL' }, undefined],
  ];
  it.each(rows)('%s', (_name, extra, expected) => {
    const why = serviceInstability(service(extra));
    if (expected === undefined) expect(why).toBeUndefined();
    else expect(why).toMatch(expected);
  });
});

describe('decideDrain with task-set services', () => {
  const draining: ContainerInstanceView = {
    arn: 'arn:ci/old',
    ec2InstanceId: 'i-0old',
    status: 'DRAINING',
    agentConnected: true,
    attributes: {},
    holdsResources: false,
  };
  const stopped: TaskView = {
    taskArn: 'arn:task/1',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    group: 'service:web',
    startedBy: 'ecs-svc/1',
  };
  const observe = (services: ServiceView[]): DrainObservation => ({
    instanceId: 'i-0old',
    lifecycleState: 'Terminating:Wait',
    containerInstance: draining,
    tasks: [stopped],
    services,
    state: { drainStartedAt: T0, lastHeartbeatAt: T0 },
  });

  it.each(['CODE_DEPLOY', 'EXTERNAL'])('continues once the %s service that ran here is steady again', (controller) => {
    const decision = decideDrain(
      observe([service({ deploymentController: controller, taskSets: [steadyPrimary] })]),
      POLICY,
      at(120),
    );
    expect(decision).toMatchObject({ decision: 'CONTINUE', forced: false });
  });

  it('waits while the CODE_DEPLOY service still stabilizes its PRIMARY task set', () => {
    const stabilizing = service({
      deploymentController: 'CODE_DEPLOY',
      taskSets: [{ ...steadyPrimary, stabilityStatus: 'STABILIZING' }],
    });
    const decision = decideDrain(observe([stabilizing]), POLICY, at(120));
    expect(decision.decision).toBe('WAIT');
    expect(decision.waitingOn.unstableServices.map((s) => s.name)).toEqual(['web']);
  });
});
