/**
 * Fuzzing, agent monitor. (1) ≥ 1,000 events it must ignore (mutations of the scheduled-event sample, every other
 * handler's sample, random JSON, hostile objects): no exception, no AWS call, no notification, one log line saying
 * why. (2) Random fleets (statuses, agent versions, update states, AMI ids, node group names, state parameters and
 * UpdateContainerAgent errors, prototype-member names among all of them): the monitor never throws, starts at most
 * `maxAgentUpdatesPerRun` updates, none while an agent is disconnected or an update is under way, and writes only
 * its state parameter. Deterministic in `npm test` (support/property-runs.ts); `npm run fuzz` explores.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  UpdateContainerAgentCommand,
  type ContainerInstance,
} from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { createAgentMonitorHandler } from '../../lambdas/monitor/monitor-handler';
import { apiContainerInstance, monitorConfig, NOW } from '../lambdas/monitor/fixtures';
import { fuzzParameters, propertyTestTimeout } from '../support/property-runs';
import {
  EventTemplate,
  fixture,
  HandlerSpec,
  hostileObject,
  IGNORED_EVENT_RUNS,
  ignoredEvents,
  isMutatingCommand,
  recordingLogger,
} from './support/event-arbitraries';
import { PROTOTYPE_NAMES } from './support/prototype-names';
import { recordingNotifier, silentAws } from './support/silent-aws';

// Properties run many cases: a slow shared machine must not turn a passing property into a timeout.
jest.setTimeout(propertyTestTimeout());

/** Every documented sample of another handler: foreign to the monitor. */
const FOREIGN_SAMPLES = [
  'autoscaling-launch-lifecycle-action.json',
  'autoscaling-terminate-lifecycle-action.json',
  'autoscaling-warm-pool-launch-lifecycle-action.json',
  'ecs-container-instance-state-change.json',
  'ecs-task-state-change.json',
  'watcher/autoscaling-instance-refresh-started.json',
  'watcher/autoscaling-instance-refresh-failed.json',
  'watcher/autoscaling-instance-launch-successful.json',
  'watcher/sns-notification.json',
].map((file) => fixture(file));

const SCHEDULED: EventTemplate = {
  label: 'scheduled',
  event: fixture('eventbridge-scheduled-event.json'),
  required: [],
  identities: [],
};

const OUTCOMES = ['started', 'noUpdateAvailable', 'updateInProgress', 'missingVersion', 'throttled', 'failed'];

/** Cases of the fleet property in `npm test` (each runs the whole handler against a mocked fleet). */
const FLEET_RUNS = 200;

describe('agent monitor: fuzzed events', () => {
  const spec: HandlerSpec = {
    templates: [SCHEDULED],
    acceptedDetailTypes: new Set(['Scheduled Event']),
    runsOnEmptyPayload: true,
  };

  test('ignores non-scheduled events: no throw, no AWS call, no notification, one log line', async () => {
    const aws = silentAws();
    const logger = recordingLogger();
    const notifier = recordingNotifier();
    const published: unknown[] = [];
    const handler = createAgentMonitorHandler({
      ...aws.clients,
      now: () => NOW,
      config: monitorConfig(),
      logger,
      metrics: { publish: (...args) => published.push(args) },
      notifier,
    });
    const events = fc.oneof(
      { arbitrary: ignoredEvents(spec), weight: 3 },
      {
        arbitrary: fc.constantFrom(...FOREIGN_SAMPLES).map((event) => ({ kind: 'another handler’s sample', event })),
        weight: 1,
      },
      // Regression: a detail-type whose toString is not callable used to make the ignore path throw.
      {
        arbitrary: fc.constant({ kind: 'hostile detail-type', event: { 'detail-type': { toString: 1 } } }),
        weight: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(events, async ({ event }) => {
        logger.lines.length = 0;
        aws.reset();
        const result = await handler(event);
        expect(result).toMatchObject({
          ignored: expect.any(String),
          retryLater: false,
          instances: 0,
          agentUpdates: [],
          stateSaved: false,
        });
        expect(logger.lines).toEqual([
          {
            level: 'info',
            message: 'event ignored',
            fields: { monitor: 'agent', reason: expect.stringMatching(/^not a scheduled event/) },
          },
        ]);
        expect(aws.calls()).toEqual([]);
        expect(notifier.sent).toEqual([]);
        expect(published).toEqual([]);
      }),
      fuzzParameters(IGNORED_EVENT_RUNS),
    );
  });
});

const AMI_IDS = ['ami-0aaa000000000000a', 'ami-0bbb000000000000b', 'ami-0ccc000000000000c'];
const oneOf = <T>(...values: T[]) => fc.constantFrom(...values);
/** Mostly `usual` (so that some fleets are healthy enough for an agent update), sometimes anything else drawn. */
const mostly = <T>(usual: T, ...others: fc.Arbitrary<T>[]) =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 6 }, ...others.map((arbitrary) => ({ arbitrary, weight: 1 })), {
    arbitrary: oneOf(...PROTOTYPE_NAMES) as fc.Arbitrary<T>,
    weight: 1,
  });

const containerInstance = fc.record({
  status: mostly('ACTIVE', oneOf('DRAINING', 'REGISTERING', 'DEREGISTERING')),
  agentConnected: mostly<boolean | undefined>(true, oneOf(false, undefined)),
  agentVersion: fc.oneof(oneOf('1.80.0', '1.89.1'), mostly('1.90.0', oneOf('x.y', ''))),
  agentUpdateStatus: mostly<string | undefined>(undefined, oneOf('PENDING', 'UPDATING', 'UPDATED', 'FAILED')),
  health: mostly('OK', oneOf('IMPAIRED', 'INSUFFICIENT_DATA')),
  amiId: mostly(AMI_IDS[0], oneOf(...AMI_IDS, 'unknown')),
  osType: mostly('linux', oneOf('windows')),
  asg: oneOf(0, 1, 2),
});

const fleet = fc.record({
  groupNames: fc.uniqueArray(mostly('web', oneOf('batch')), { minLength: 2, maxLength: 2 }),
  instances: fc.array(containerInstance, { maxLength: 8 }),
  describedAmis: fc.oneof(fc.constant(AMI_IDS), fc.subarray([...AMI_IDS, ...PROTOTYPE_NAMES])),
  imageNames: mostly('al2023-ami-ecs-hvm-2023.0.20250520-kernel-6.1-x86_64', oneOf('bottlerocket-aws-ecs-2')),
  approved: oneOf(...AMI_IDS),
  approvedParameterValue: mostly(AMI_IDS[0], oneOf(...AMI_IDS, '{"image_id":"ami-0aaa000000000000a"}')),
  state: fc.oneof(
    fc.constant(undefined),
    fc.dictionary(mostly('disconnected', fc.string({ maxLength: 12 })), fc.string({ maxLength: 12 })).map((f) => ({
      v: 1,
      at: NOW.toISOString(),
      f,
    })),
    hostileObject,
  ),
  updateError: mostly<string | undefined>(undefined, oneOf('NoUpdateAvailableException', 'UpdateInProgressException')),
  maxUpdates: fc.integer({ min: 1, max: 3 }),
});

type Fleet = typeof fleet extends fc.Arbitrary<infer T> ? T : never;

function apiInstances(f: Fleet): ContainerInstance[] {
  return f.instances.map((i, n) =>
    apiContainerInstance(
      n + 1,
      {
        status: i.status,
        agentConnected: i.agentConnected,
        agentUpdateStatus: i.agentUpdateStatus as ContainerInstance['agentUpdateStatus'],
        versionInfo: { agentVersion: i.agentVersion },
        healthStatus: { overallStatus: i.health as 'OK' },
        attributes: [
          { name: 'ecs.ami-id', value: i.amiId },
          { name: 'ecs.os-type', value: i.osType },
          { name: 'ecs.cpu-architecture', value: 'x86_64' },
        ],
      },
      i.amiId,
    ),
  );
}

describe('agent monitor: fuzzed fleets', () => {
  test('never throws, updates at most the allowed agents, only when safe, and writes only its state', async () => {
    const clients = {
      ecs: new ECSClient({ region: 'eu-west-1' }),
      autoScaling: new AutoScalingClient({ region: 'eu-west-1' }),
      ec2: new EC2Client({ region: 'eu-west-1' }),
      ssm: new SSMClient({ region: 'eu-west-1' }),
      sns: new SNSClient({ region: 'eu-west-1' }),
    };
    const mocks = {
      ecs: mockClient(clients.ecs),
      autoScaling: mockClient(clients.autoScaling),
      ec2: mockClient(clients.ec2),
      ssm: mockClient(clients.ssm),
      sns: mockClient(clients.sns),
    };
    // The mocks answer from the case being run (`current`): registered once, since building them costs more than a
    // case. Every case starts with a clean call history, so it replays alone exactly as it ran in the sequence.
    let current = { fleet: undefined as unknown as Fleet, instances: [] as ContainerInstance[] };
    mocks.ecs.on(ListContainerInstancesCommand).callsFake(() => ({
      containerInstanceArns: current.instances.map((ci) => ci.containerInstanceArn!),
    }));
    mocks.ecs.on(DescribeContainerInstancesCommand).callsFake(() => ({ containerInstances: current.instances }));
    mocks.ecs.on(UpdateContainerAgentCommand).callsFake(() => {
      const name = current.fleet.updateError;
      if (name !== undefined) throw Object.assign(new Error('drawn'), { name });
      return {};
    });
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(() => ({
      AutoScalingGroups: [0, 1].map((n) => ({
        AutoScalingGroupName: `asg-${n}`,
        Instances: current.instances
          .filter((_, i) => current.fleet.instances[i].asg === n)
          .map((ci) => ({ InstanceId: ci.ec2InstanceId })),
      })),
    }));
    mocks.ec2.on(DescribeImagesCommand).callsFake(() => ({
      Images: current.fleet.describedAmis.map((id) => ({
        ImageId: id,
        Name: current.fleet.imageNames,
        CreationDate: '2025-01-01',
      })),
    }));
    mocks.ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => ({
      Parameter: {
        Value:
          input.Name === '/p/approved' ? current.fleet.approvedParameterValue : JSON.stringify(current.fleet.state),
      },
    }));
    mocks.ssm.on(PutParameterCommand).resolves({});
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
    let updatesStarted = 0;
    await fc.assert(
      fc.asyncProperty(fleet, async (f) => {
        // GIVEN a mocked fleet built from the drawn values
        Object.values(mocks).forEach((mock) => mock.resetHistory());
        const config = monitorConfig({
          nodeGroups: [
            { name: f.groupNames[0], asgName: 'asg-0', approvedAmiId: f.approved },
            { name: f.groupNames[1], asgName: 'asg-1', approvedAmiParameter: '/p/approved' },
          ],
          updateAgents: true,
          maxAgentUpdatesPerRun: f.maxUpdates,
        });
        const instances = apiInstances(f);
        current = { fleet: f, instances };
        const notifier = recordingNotifier();
        const logger = recordingLogger();
        const handler = createAgentMonitorHandler({
          ...clients,
          now: () => NOW,
          config,
          logger,
          metrics: { publish: () => undefined },
          notifier,
        });
        // WHEN it runs on schedule (it must not throw)
        const result = await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
        // THEN at most maxAgentUpdatesPerRun updates, none while an agent is disconnected or an update is under way
        const updates = mocks.ecs.commandCalls(UpdateContainerAgentCommand).map((call) => call.args[0].input);
        expect(updates.length).toBeLessThanOrEqual(f.maxUpdates);
        if (f.instances.some((i) => i.agentConnected === false)) expect(updates).toEqual([]);
        const busy = ['PENDING', 'UPDATING'];
        if (f.instances.some((i) => busy.includes(i.agentUpdateStatus ?? ''))) expect(updates).toEqual([]);
        for (const input of updates) expect(input.cluster).toBe(config.clusterArn);
        updatesStarted += updates.length;
        // AND it writes only its state parameter, and reports every instance it read
        for (const call of mocks.ssm.commandCalls(PutParameterCommand))
          expect(call.args[0].input.Name).toBe(config.stateParameterName);
        const mutating = [...mocks.ecs.calls(), ...mocks.autoScaling.calls(), ...mocks.ec2.calls()]
          .map((call) => (call.args[0] as object).constructor.name)
          .filter(isMutatingCommand);
        expect(mutating.every((name) => name === 'UpdateContainerAgentCommand')).toBe(true);
        expect(result).toMatchObject({ retryLater: false, instances: instances.length });
        // AND every update outcome is one of the documented ones, whatever the error was called
        for (const { outcome } of result.agentUpdates) expect(OUTCOMES).toContain(outcome);
        // AND an instance on an AMI that EC2 did not describe is never classified by an AMI name it does not have
        const decision = logger.lines.find((line) => line.message === 'agent monitor decision');
        const skipped = (decision?.fields.agentUpdatesSkipped ?? []) as { ec2InstanceId: string; reason: string }[];
        for (const skip of skipped) {
          const n = instances.findIndex((ci) => ci.ec2InstanceId === skip.ec2InstanceId);
          if (!f.describedAmis.includes(f.instances[n].amiId))
            expect(skip.reason).not.toMatch(/^(other|bottlerocket) AMI/);
        }
      }),
      fuzzParameters(FLEET_RUNS),
    );
    // AND the property is not vacuous: some fleets did get an agent update
    expect(updatesStarted).toBeGreaterThan(0);
  });
});
