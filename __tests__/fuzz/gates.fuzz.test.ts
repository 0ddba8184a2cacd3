/**
 * Event fuzzing, lifecycle gates: ≥ 1,000 malformed, truncated, foreign-ASG, foreign-hook, foreign-cluster and
 * wrong-detail-type events per gate (`npm run fuzz` runs many more). Each must be ignored: no exception, no AWS call at
 * all (so certainly no mutating one), and exactly one log line saying why. A second property sends VALID events for
 * the gate's own ASG about random instances and checks that whatever the gate does, it only acts on the configured
 * ASG, hook and cluster. Deterministic in `npm test` (support/property-runs.ts).
 */
import { CompleteLifecycleActionCommand, RecordLifecycleActionHeartbeatCommand } from '@aws-sdk/client-auto-scaling';
import { PutAttributesCommand, StopTaskCommand, UpdateContainerInstancesStateCommand } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { GateDeps } from '../../lambdas/gates/deps';
import { createDrainGateHandler, createLaunchGateHandler } from '../../lambdas/gates/gate-handlers';
import { GateKind } from '../../lambdas/gates/events';
import { noopMetrics } from '../../lambdas/shared/observability';
import { FakeWorld, fakeAws } from '../lambdas/gates/helpers/fake-aws';
import { ASG, CLUSTER_ARN, LAUNCH_HOOK, TERMINATE_HOOK, T0, testConfig } from '../lambdas/gates/helpers/gate-test-kit';
import { fuzzParameters, propertyTestTimeout } from '../support/property-runs';
import {
  adapt,
  EventTemplate,
  HandlerSpec,
  IGNORED_EVENT_RUNS,
  ignoredEvents,
  isMutatingCommand,
  recordingLogger,
} from './support/event-arbitraries';
import { PROTOTYPE_NAMES } from './support/prototype-names';
import { silentAws } from './support/silent-aws';

// Properties run many cases: a slow shared machine must not turn a passing property into a timeout.
jest.setTimeout(propertyTestTimeout());

const config = testConfig();
/** Cases of the valid-event property in `npm test` (each builds a fake world; `npm run fuzz` runs many more). */
const VALID_EVENT_RUNS = 200;
const CREATE = { launch: createLaunchGateHandler, drain: createDrainGateHandler };

const LIFECYCLE_REQUIRED = [
  'detail',
  'detail.LifecycleActionToken',
  'detail.AutoScalingGroupName',
  'detail.LifecycleHookName',
  'detail.EC2InstanceId',
  'detail.LifecycleTransition',
];

function lifecycleTemplate(label: string, file: string, hook: string): EventTemplate {
  return {
    label,
    event: adapt(file, {}, { AutoScalingGroupName: ASG, LifecycleHookName: hook }),
    required: LIFECYCLE_REQUIRED,
    identities: [
      { path: 'detail.AutoScalingGroupName', configured: [ASG] },
      { path: 'detail.LifecycleHookName', configured: [hook] },
    ],
  };
}

function containerInstanceTemplate(accepted: readonly string[]): EventTemplate {
  return {
    label: 'container instance state change',
    event: adapt('ecs-container-instance-state-change.json', {}, { clusterArn: CLUSTER_ARN, status: accepted[0] }),
    required: ['detail', 'detail.clusterArn', 'detail.ec2InstanceId', 'detail.status'],
    identities: [{ path: 'detail.clusterArn', configured: [CLUSTER_ARN] }],
    status: { path: 'detail.status', accepted },
  };
}

const SCHEDULED: EventTemplate = {
  label: 'scheduled',
  event: adapt('eventbridge-scheduled-event.json', {}),
  required: [],
  identities: [],
};

const SPECS: Record<GateKind, HandlerSpec> = {
  launch: {
    templates: [
      lifecycleTemplate('launch lifecycle', 'autoscaling-launch-lifecycle-action.json', LAUNCH_HOOK),
      lifecycleTemplate(
        'warm pool launch lifecycle',
        'autoscaling-warm-pool-launch-lifecycle-action.json',
        LAUNCH_HOOK,
      ),
      containerInstanceTemplate(['ACTIVE', 'REGISTRATION_FAILED']),
      SCHEDULED,
    ],
    acceptedDetailTypes: new Set([
      'EC2 Instance-launch Lifecycle Action',
      'ECS Container Instance State Change',
      'Scheduled Event',
    ]),
    runsOnEmptyPayload: false,
  },
  drain: {
    templates: [
      lifecycleTemplate('terminate lifecycle', 'autoscaling-terminate-lifecycle-action.json', TERMINATE_HOOK),
      containerInstanceTemplate(['DRAINING', 'DEREGISTERING', 'INACTIVE']),
      {
        label: 'task stopped',
        event: adapt(
          'ecs-task-state-change.json',
          {},
          {
            clusterArn: CLUSTER_ARN,
            lastStatus: 'STOPPED',
            containerInstanceArn: `${CLUSTER_ARN.replace(':cluster/', ':container-instance/')}/abc`,
          },
        ),
        required: ['detail', 'detail.clusterArn', 'detail.lastStatus', 'detail.containerInstanceArn'],
        identities: [{ path: 'detail.clusterArn', configured: [CLUSTER_ARN] }],
        status: { path: 'detail.lastStatus', accepted: ['STOPPED'] },
      },
      SCHEDULED,
    ],
    acceptedDetailTypes: new Set([
      'EC2 Instance-terminate Lifecycle Action',
      'ECS Container Instance State Change',
      'ECS Task State Change',
      'Scheduled Event',
    ]),
    runsOnEmptyPayload: false,
  },
};

describe.each(['launch', 'drain'] as const)('%s gate: fuzzed events', (gate) => {
  test('ignores malformed, truncated and foreign events: no throw, no AWS call, one log line', async () => {
    const aws = silentAws();
    const logger = recordingLogger();
    const deps: GateDeps = { ...aws.clients, now: () => T0, config, logger, metrics: noopMetrics };
    const handler = CREATE[gate](deps);
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(ignoredEvents(SPECS[gate]), async ({ kind, event }) => {
        // GIVEN a fresh recording WHEN the gate gets the event
        logger.lines.length = 0;
        aws.reset();
        kinds.add(kind.split(':')[0]);
        const result = await handler(event);
        // THEN it is ignored, with one line giving the reason, and AWS is never called
        expect(result).toMatchObject({ triggers: ['ignore'], retryLater: false, outcomes: [] });
        expect(logger.lines).toEqual([
          {
            level: expect.stringMatching(/^(info|debug)$/),
            message: 'event ignored',
            fields: { gate, reason: expect.any(String) },
          },
        ]);
        expect(String(logger.lines[0].fields.reason).length).toBeGreaterThan(5);
        expect(aws.calls()).toEqual([]);
      }),
      fuzzParameters(IGNORED_EVENT_RUNS),
    );
    // AND every template was mutated at least once (the run is not stuck on one shape)
    for (const template of SPECS[gate].templates) expect(kinds).toContain(template.label);
  });

  test('valid events for its ASG about random instances act only on the configured ASG, hook and cluster', async () => {
    const hook = gate === 'launch' ? LAUNCH_HOOK : TERMINATE_HOOK;
    const file =
      gate === 'launch' ? 'autoscaling-launch-lifecycle-action.json' : 'autoscaling-terminate-lifecycle-action.json';
    const world = fc.record({
      instanceId: fc.stringMatching(/^i-[0-9a-f]{8,17}$/),
      asg: fc.constantFrom(ASG, 'someone-elses-asg'),
      state: fc.constantFrom('Pending:Wait', 'InService', 'Terminating:Wait', 'Terminating', ...PROTOTYPE_NAMES),
      registered: fc.boolean(),
      ciStatus: fc.constantFrom('ACTIVE', 'DRAINING', 'REGISTERING', ...PROTOTYPE_NAMES),
      token: fc.uuid(),
      secondsLater: fc.integer({ min: 0, max: 7200 }),
    });
    let acted = 0;
    // One fake AWS for all cases (building one costs more than a case); every case starts from an empty world and a
    // clean call history, so a case replays alone exactly as it ran in the sequence.
    const fake = new FakeWorld();
    const aws = fakeAws(fake);
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        // GIVEN an instance somewhere (maybe not in our ASG) and a valid lifecycle event naming our ASG and hook
        Object.assign(fake, new FakeWorld());
        [aws.ecsMock, aws.asgMock, aws.ec2Mock].forEach((mock) => mock.resetHistory());
        fake.addInstance(w.instanceId, w.state, { asgName: w.asg });
        if (w.registered) fake.register(w.instanceId, { status: w.ciStatus });
        const logger = recordingLogger();
        const deps: GateDeps = {
          ecs: aws.ecs,
          autoScaling: aws.autoScaling,
          ec2: aws.ec2,
          now: () => new Date(T0.getTime() + w.secondsLater * 1000),
          config,
          logger,
          metrics: noopMetrics,
        };
        const event = adapt(
          file,
          { time: T0.toISOString() },
          {
            AutoScalingGroupName: ASG,
            LifecycleHookName: hook,
            EC2InstanceId: w.instanceId,
            LifecycleActionToken: w.token,
          },
        );
        // WHEN the gate handles it (it must not throw)
        await CREATE[gate](deps)(event);
        // THEN lifecycle writes name our ASG and hook only; ECS writes target our cluster only
        const lifecycleWrites = [
          ...aws.asgMock.commandCalls(CompleteLifecycleActionCommand),
          ...aws.asgMock.commandCalls(RecordLifecycleActionHeartbeatCommand),
        ];
        for (const call of lifecycleWrites)
          expect(call.args[0].input).toMatchObject({ AutoScalingGroupName: ASG, LifecycleHookName: hook });
        for (const command of [UpdateContainerInstancesStateCommand, StopTaskCommand, PutAttributesCommand]) {
          for (const call of aws.ecsMock.commandCalls(command as never))
            expect((call.args[0].input as { cluster?: string }).cluster).toBe(CLUSTER_ARN);
        }
        if (aws.asgMock.commandCalls(CompleteLifecycleActionCommand).length > 0) acted += 1;
        // AND an instance of someone else's ASG is never touched
        if (w.asg !== ASG) {
          const mutating = [...aws.asgMock.calls(), ...aws.ecsMock.calls()]
            .map((c) => (c.args[0] as object).constructor.name)
            .filter(isMutatingCommand);
          expect(mutating).toEqual([]);
        }
      }),
      fuzzParameters(VALID_EVENT_RUNS),
    );
    // AND the property is not vacuous: some of those events did complete a lifecycle action
    expect(acted).toBeGreaterThan(0);
  });
});
