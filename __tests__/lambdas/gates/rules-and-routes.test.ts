/**
 * Issue 13 item 4 / issue 14 item 2: the rules we deploy match the events AWS documents, and the gates route exactly
 * what their rules deliver: a handler route for every rule, no route without a rule. The samples are AWS's:
 * - "Amazon ECS container instance state change events" (ecs_container_instance_events.html): the sample detail has
 *   status, agentConnected, resources and version, and NO runningTasksCount / pendingTasksCount;
 * - "Amazon ECS task state change events" (ecs_task_events.html);
 * - "Amazon EC2 Auto Scaling event reference" (ec2-auto-scaling-event-reference.html), lifecycle actions.
 */
import { routeEvent } from '../../../lambdas/gates/events';
import { matchesEventPattern } from '../../../sim/aws/event-pattern';
import { synthRollout } from '../../support/synth';
import { synthesizedRules } from '../../support/synth-rules';
import { adaptEvent, testConfig } from './helpers/gate-test-kit';

const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod';
const ASG = 'prod-x86';
const { json } = synthRollout({ enableAgentMonitor: false, enableAmiWatcher: false });
const rules = synthesizedRules(json, (text) =>
  text
    .replace(/\$\{aws_ecs_cluster\.[\w-]+\.arn\}/g, CLUSTER_ARN)
    .replace(/\$\{aws_ecs_cluster\.[\w-]+\.name\}/g, 'prod'),
);
const config = testConfig({
  clusterArn: CLUSTER_ARN,
  nodeGroups: [
    {
      name: 'x86',
      asgName: ASG,
      launchHookName: 'ecs-ami-rollout-launch-gate',
      terminateHookName: 'ecs-ami-rollout-drain-gate',
      launchHeartbeatSeconds: 900,
      terminateHeartbeatSeconds: 3600,
    },
  ],
});

const GATES = { launch: 'launch-gate', drain: 'drain-gate' } as const;
type Gate = keyof typeof GATES;

/** Gates whose rules deliver the event. */
function deliveredTo(event: Record<string, unknown>): Gate[] {
  const reached = rules.filter((rule) => rule.pattern && matchesEventPattern(rule.pattern, event));
  return (Object.keys(GATES) as Gate[]).filter((gate) => reached.some((r) => r.functions.includes(GATES[gate])));
}

const containerInstance = (status: string) =>
  adaptEvent('ecs-container-instance-state-change.json', {}, { clusterArn: CLUSTER_ARN, status });
const stoppedTask = adaptEvent(
  'ecs-task-state-change.json',
  {},
  {
    clusterArn: CLUSTER_ARN,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    launchType: 'EC2',
    containerInstanceArn: `${CLUSTER_ARN.replace(':cluster/', ':container-instance/')}/0a1b2c3d`,
  },
);
const lifecycle = (file: string, hook: string) =>
  adaptEvent(file, {}, { AutoScalingGroupName: ASG, LifecycleHookName: hook });

/** The documented sample as ECS sends it when nothing (or nothing anymore) is placed on the instance. */
const emptyInstance = (status: string) => {
  const event = containerInstance(status);
  return { ...event, detail: { ...event.detail, remainingResources: event.detail.registeredResources } };
};
const scheduled = adaptEvent('eventbridge-scheduled-event.json', {});

describe('documented events reach the gate that handles them', () => {
  it('the documented container-instance event reaches the launch gate (ACTIVE) and the drain gate (DRAINING)', () => {
    expect(deliveredTo(containerInstance('ACTIVE'))).toContain('launch');
    expect(deliveredTo(containerInstance('DRAINING'))).toContain('drain');
  });

  it('the documented lifecycle actions reach their gate', () => {
    const launch = lifecycle('autoscaling-launch-lifecycle-action.json', 'ecs-ami-rollout-launch-gate');
    const terminate = lifecycle('autoscaling-terminate-lifecycle-action.json', 'ecs-ami-rollout-drain-gate');
    expect(deliveredTo(launch)).toEqual(['launch']);
    expect(deliveredTo(terminate)).toEqual(['drain']);
  });

  it('a placement event (tasks still hold resources) is delivered but costs the gate nothing', () => {
    expect(routeEvent(containerInstance('DRAINING'), config, 'drain')).toMatchObject({ kind: 'ignore' });
    expect(routeEvent(emptyInstance('DRAINING'), config, 'drain')).toMatchObject({ kind: 'instance' });
  });
});

describe('a route for every rule, and no route without a rule', () => {
  const samples: Record<string, Record<string, unknown>> = {
    'container instance ACTIVE, tasks placed': containerInstance('ACTIVE'),
    'container instance ACTIVE, empty': emptyInstance('ACTIVE'),
    'container instance REGISTRATION_FAILED': emptyInstance('REGISTRATION_FAILED'),
    'container instance DRAINING, tasks placed': containerInstance('DRAINING'),
    'container instance DRAINING, empty': emptyInstance('DRAINING'),
    'container instance DEREGISTERING': emptyInstance('DEREGISTERING'),
    'container instance INACTIVE': emptyInstance('INACTIVE'),
    'task STOPPED': stoppedTask,
    'launch lifecycle action': lifecycle('autoscaling-launch-lifecycle-action.json', 'ecs-ami-rollout-launch-gate'),
    'terminate lifecycle action': lifecycle(
      'autoscaling-terminate-lifecycle-action.json',
      'ecs-ami-rollout-drain-gate',
    ),
  };
  const rows = Object.entries(samples).flatMap(([name, event]) =>
    (Object.keys(GATES) as Gate[]).map((gate) => [name, gate, event] as const),
  );

  it.each(rows)('%s → %s gate: acted on only if a rule delivers it', (_name, gate, event) => {
    if (routeEvent(event, config, gate).kind !== 'ignore') expect(deliveredTo(event)).toContain(gate);
  });

  it.each(rules.map((rule) => [rule.key, rule] as const))(
    'rule %s delivers an event its gate acts on',
    (_key, rule) => {
      const gates = (Object.keys(GATES) as Gate[]).filter((gate) => rule.functions.includes(GATES[gate]));
      expect(gates).not.toHaveLength(0);
      for (const gate of gates) {
        const acted = rule.pattern
          ? Object.values(samples).some(
              (event) => matchesEventPattern(rule.pattern!, event) && routeEvent(event, config, gate).kind !== 'ignore',
            )
          : routeEvent(scheduled, config, gate).kind === 'sweep';
        expect(acted).toBe(true);
      }
    },
  );
});
