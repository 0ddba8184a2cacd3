/**
 * Event fuzzing, agent monitor and AMI watcher: ≥ 1,000 events each that they must ignore (mutations of the documented
 * samples adapted to their configuration, every other handler's sample, random JSON, hostile objects). Each must be
 * ignored: no exception, no AWS call, no notification, exactly one log line saying why. For the watcher, a second
 * property sends VALID refresh/activity events for its own ASGs and checks that it only writes its own parameters and
 * only refreshes its own ASGs.
 */
import {
  AutoScalingClient,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { createAgentMonitorHandler } from '../../lambdas/monitor/agent-monitor';
import { createAmiWatcherHandler } from '../../lambdas/watcher/ami-watcher';
import { REFRESH_EVENT_KINDS } from '../../lambdas/watcher/refresh-outcome-decision';
import { ACTIVITY_DETAIL_TYPES } from '../../lambdas/watcher/events';
import { monitorConfig, NOW } from '../lambdas/monitor/fixtures';
import { WatcherWorld, fakeDeps as watcherWorldDeps } from '../lambdas/watcher/helpers/watcher-world';
import {
  AMI_CUR,
  AMI_OLD,
  APPROVED,
  ASG,
  DENY,
  GITOPS_ASG,
  LEGACY_TOPIC,
  PREVIOUS,
  T0,
  watcherConfig,
} from '../lambdas/watcher/helpers/watcher-kit';
import {
  adapt,
  EventTemplate,
  fixture,
  HandlerSpec,
  ignoredEvents,
  isMutatingCommand,
  Json,
  NUM_RUNS,
  recordingLogger,
  withPath,
} from './support/event-arbitraries';

/** Every documented sample of the repository: foreign to at least one of the two handlers. */
const GATE_SAMPLES = [
  'autoscaling-launch-lifecycle-action.json',
  'autoscaling-terminate-lifecycle-action.json',
  'autoscaling-warm-pool-launch-lifecycle-action.json',
  'ecs-container-instance-state-change.json',
  'ecs-task-state-change.json',
].map((file) => fixture(file));
const REFRESH_FILES = [
  'started',
  'checkpoint-reached',
  'succeeded',
  'failed',
  'cancelled',
  'rollback-started',
  'rollback-succeeded',
  'rollback-failed',
].map((n) => `watcher/autoscaling-instance-refresh-${n}.json`);
const WATCHER_SAMPLES = [
  ...REFRESH_FILES,
  'watcher/autoscaling-instance-launch-successful.json',
  'watcher/sns-notification.json',
].map((file) => fixture(file));

const SCHEDULED: EventTemplate = {
  label: 'scheduled',
  event: fixture('eventbridge-scheduled-event.json'),
  required: [],
  identities: [],
};

function silentAws() {
  const clients = {
    ecs: new ECSClient({ region: 'us-west-2' }),
    autoScaling: new AutoScalingClient({ region: 'us-west-2' }),
    ec2: new EC2Client({ region: 'us-west-2' }),
    ssm: new SSMClient({ region: 'us-west-2' }),
    sns: new SNSClient({ region: 'us-west-2' }),
  };
  const mocks = [
    mockClient(clients.ecs),
    mockClient(clients.autoScaling),
    mockClient(clients.ec2),
    mockClient(clients.ssm),
    mockClient(clients.sns),
  ];
  const calls = () => mocks.flatMap((mock) => mock.calls().map((call) => (call.args[0] as object).constructor.name));
  return { clients, mocks, calls };
}

/** A notifier that records (nothing may be notified about an ignored event). */
function recordingNotifier() {
  const sent: unknown[] = [];
  return { sent, notify: async (n: unknown) => (sent.push(n), { delivered: true, deduped: false }) as never };
}

describe('agent monitor: fuzzed events', () => {
  const spec: HandlerSpec = {
    templates: [SCHEDULED],
    acceptedDetailTypes: new Set(['Scheduled Event']),
    runsOnEmptyPayload: true,
  };

  test(`ignores ${NUM_RUNS} non-scheduled events: no throw, no AWS call, no notification, one log line`, async () => {
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
        arbitrary: fc
          .constantFrom(...GATE_SAMPLES, ...WATCHER_SAMPLES)
          .map((event) => ({ kind: 'another handler’s sample', event })),
        weight: 1,
      },
      // Regression: a detail-type whose toString is not callable used to make the ignore path throw.
      {
        arbitrary: fc.constant({
          kind: 'hostile detail-type',
          event: { 'detail-type': { toString: 1 }, source: 'aws.events' } as Json,
        }),
        weight: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(events, async ({ event }) => {
        logger.lines.length = 0;
        aws.mocks.forEach((mock) => mock.resetHistory());
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
      { numRuns: NUM_RUNS },
    );
  });
});

describe('AMI watcher: fuzzed events', () => {
  const config = watcherConfig({ legacyAmiTopicArn: LEGACY_TOPIC });
  const ASGS = [ASG, GITOPS_ASG];
  const refreshTemplates: EventTemplate[] = REFRESH_FILES.map((file) => ({
    label: file.replace(/^watcher\/autoscaling-instance-/, '').replace(/\.json$/, ''),
    event: adapt(file, {}, { AutoScalingGroupName: ASG }),
    required: ['detail', 'detail.InstanceRefreshId', 'detail.AutoScalingGroupName'],
    identities: [{ path: 'detail.AutoScalingGroupName', configured: ASGS }],
  }));
  const spec: HandlerSpec = {
    templates: [
      ...refreshTemplates,
      {
        label: 'launch successful',
        event: adapt('watcher/autoscaling-instance-launch-successful.json', {}, { AutoScalingGroupName: GITOPS_ASG }),
        required: ['detail', 'detail.AutoScalingGroupName'],
        identities: [{ path: 'detail.AutoScalingGroupName', configured: ASGS }],
      },
      {
        label: 'legacy AMI SNS message',
        event: withPath(fixture('watcher/sns-notification.json'), 'Records.0.Sns.TopicArn', LEGACY_TOPIC),
        required: ['Records', 'Records.0', 'Records.0.EventSource', 'Records.0.Sns', 'Records.0.Sns.TopicArn'],
        identities: [{ path: 'Records.0.Sns.TopicArn', configured: [LEGACY_TOPIC] }],
        sns: true,
      },
      SCHEDULED,
    ],
    acceptedDetailTypes: new Set(['Scheduled Event', ...Object.keys(REFRESH_EVENT_KINDS), ...ACTIVITY_DETAIL_TYPES]),
    runsOnEmptyPayload: true,
  };

  test(`ignores ${NUM_RUNS} malformed, foreign or wrong-type events: no throw, no AWS call, one log line`, async () => {
    const aws = silentAws();
    const logger = recordingLogger();
    const notifier = recordingNotifier();
    const pipeline = {
      posted: [] as unknown[],
      post: async (p: unknown) => (pipeline.posted.push(p), 'sent' as const),
    };
    const handler = createAmiWatcherHandler({
      ssm: aws.clients.ssm,
      autoScaling: aws.clients.autoScaling,
      ec2: aws.clients.ec2,
      ecs: aws.clients.ecs,
      now: () => T0,
      config,
      logger,
      notifier,
      pipeline,
    });
    const baking = adapt(
      REFRESH_FILES[0],
      { 'detail-type': 'EC2 Auto Scaling Instance Refresh Started Baking' },
      { AutoScalingGroupName: ASG },
    );
    const events = fc.oneof(
      { arbitrary: ignoredEvents(spec), weight: 4 },
      {
        arbitrary: fc
          .constantFrom(...GATE_SAMPLES, baking)
          .map((event) => ({ kind: 'another handler’s sample', event })),
        weight: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(events, async ({ event }) => {
        logger.lines.length = 0;
        aws.mocks.forEach((mock) => mock.resetHistory());
        const result = await handler(event);
        expect(result).toMatchObject({
          trigger: 'ignore',
          ignored: expect.any(String),
          retryLater: false,
          outcomes: [],
        });
        expect(logger.lines).toEqual([
          { level: 'info', message: 'event ignored', fields: { watcher: 'ami', reason: expect.any(String) } },
        ]);
        expect(aws.calls()).toEqual([]);
        expect(notifier.sent).toEqual([]);
        expect(pipeline.posted).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('valid refresh and activity events for its ASGs write only its parameters, touch only its ASGs', async () => {
    const ownParameters = new Set(
      config.nodeGroups
        .flatMap((g) => [g.approvedParameterName, g.previousParameterName, g.stateParameterName])
        .concat([DENY]),
    );
    const detailTypes = [...Object.keys(REFRESH_EVENT_KINDS), ...ACTIVITY_DETAIL_TYPES];
    const input = fc.record({
      detailType: fc.constantFrom(...detailTypes),
      asg: fc.constantFrom(...ASGS),
      refreshId: fc.uuid(),
      approved: fc.constantFrom(AMI_CUR, AMI_OLD),
      refreshes: fc.array(
        fc.record({
          status: fc.constantFrom('Pending', 'InProgress', 'Successful', 'Failed', 'Cancelled', 'RollbackSuccessful'),
        }),
        { maxLength: 2 },
      ),
    });
    let wrote = 0;
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        // GIVEN a world with our parameters and some refresh history, and a valid event naming one of our ASGs
        const world = new WatcherWorld()
          .param(APPROVED, i.approved, 'String', 'aws:ec2:image')
          .param(PREVIOUS, AMI_OLD, 'String', 'aws:ec2:image');
        i.refreshes.forEach((r, n) =>
          world.groups.get(i.asg)!.refreshes.push({ id: n === 0 ? i.refreshId : `r-${n}`, status: r.status }),
        );
        const kit = watcherWorldDeps(world, config);
        const event = adapt(
          REFRESH_FILES[0],
          { 'detail-type': i.detailType },
          { AutoScalingGroupName: i.asg, InstanceRefreshId: i.refreshId },
        );
        // WHEN handled (it must not throw)
        await createAmiWatcherHandler(kit.deps)(event);
        // THEN every write names our parameters / ASGs only
        if (kit.puts().length > 0) wrote += 1;
        for (const put of kit.puts()) expect(ownParameters).toContain(put.Name);
        for (const command of [StartInstanceRefreshCommand, TerminateInstanceInAutoScalingGroupCommand]) {
          for (const call of kit.asgMock.commandCalls(command as never)) {
            const target = call.args[0].input as { AutoScalingGroupName?: string; InstanceId?: string };
            if (target.AutoScalingGroupName !== undefined) expect(ASGS).toContain(target.AutoScalingGroupName);
          }
        }
        const mutating = kit.asgMock
          .calls()
          .map((c) => (c.args[0] as object).constructor.name)
          .filter(isMutatingCommand);
        expect(
          mutating.every((name) =>
            ['StartInstanceRefreshCommand', 'TerminateInstanceInAutoScalingGroupCommand'].includes(name),
          ),
        ).toBe(true);
      }),
      { numRuns: 100 },
    );
    // AND the property is not vacuous: some events made the watcher write state
    expect(wrote).toBeGreaterThan(0);
  });
});
