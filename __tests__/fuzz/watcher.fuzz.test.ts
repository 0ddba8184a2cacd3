/**
 * Fuzzing, AMI watcher. (1) ≥ 1,000 events it must ignore (mutations of the documented samples adapted to its
 * configuration, every other handler's sample, random JSON, hostile objects, prototype-member names as detail types,
 * sources, ASG names, topics and parameter names): no exception, no AWS call, no notification, exactly one log line
 * saying why. (2) VALID refresh, activity and Parameter Store Change events for its own node groups, against a world
 * whose refresh history may hold any status: it writes only its own parameters and refreshes only its own ASGs.
 * Deterministic in `npm test` (support/property-runs.ts); `npm run fuzz` explores.
 */
import { StartInstanceRefreshCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import fc from 'fast-check';
import { createAmiWatcherHandler } from '../../lambdas/watcher/watcher-handler';
import { ACTIVITY_DETAIL_TYPES, PARAMETER_CHANGE_DETAIL_TYPE } from '../../lambdas/watcher/events';
import { REFRESH_EVENT_KINDS } from '../../lambdas/watcher/refresh-outcome-decision';
import { WatcherWorld, fakeDeps as watcherWorldDeps } from '../lambdas/watcher/helpers/watcher-world';
import {
  AMI_CUR,
  AMI_OLD,
  APPROVED,
  ASG,
  DENY,
  GITOPS_ASG,
  LEGACY_TOPIC,
  PAUSE,
  PREVIOUS,
  T0,
  watcherConfig,
} from '../lambdas/watcher/helpers/watcher-kit';
import { fuzzParameters, propertyTestTimeout } from '../support/property-runs';
import {
  adapt,
  EventTemplate,
  fixture,
  HandlerSpec,
  IGNORED_EVENT_RUNS,
  ignoredEvents,
  isMutatingCommand,
  recordingLogger,
  withPath,
} from './support/event-arbitraries';
import { PROTOTYPE_NAMES } from './support/prototype-names';
import { recordingNotifier, recordingPipeline, silentAws } from './support/silent-aws';

// Properties run many cases: a slow shared machine must not turn a passing property into a timeout.
jest.setTimeout(propertyTestTimeout());

/** Documented samples of the gates: foreign to the watcher. */
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
const PARAMETER_CHANGE = 'watcher/ssm-parameter-store-change-update.json';

const SCHEDULED: EventTemplate = {
  label: 'scheduled',
  event: fixture('eventbridge-scheduled-event.json'),
  required: [],
  identities: [],
};

/** Cases of the valid-event property in `npm test` (each builds a fake world; `npm run fuzz` runs many more). */
const VALID_EVENT_RUNS = 200;

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
      {
        label: 'parameter store change',
        event: adapt(PARAMETER_CHANGE, {}, { name: APPROVED }),
        required: ['detail', 'detail.name'],
        // Names compare without the leading "/"; the pause switch resumes every auto group.
        identities: [{ path: 'detail.name', configured: [APPROVED, APPROVED.slice(1), PAUSE, PAUSE.slice(1)] }],
      },
      SCHEDULED,
    ],
    acceptedDetailTypes: new Set([
      'Scheduled Event',
      PARAMETER_CHANGE_DETAIL_TYPE,
      ...Object.keys(REFRESH_EVENT_KINDS),
      ...ACTIVITY_DETAIL_TYPES,
    ]),
    runsOnEmptyPayload: true,
  };

  test('ignores malformed, foreign or wrong-type events: no throw, no AWS call, one log line', async () => {
    const aws = silentAws();
    const logger = recordingLogger();
    const notifier = recordingNotifier();
    const pipeline = recordingPipeline();
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
        aws.reset();
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
      fuzzParameters(IGNORED_EVENT_RUNS),
    );
  });

  test('valid refresh, activity and parameter events write only its parameters, touch only its ASGs', async () => {
    const ownParameters = new Set(
      config.nodeGroups
        .flatMap((g) => [g.approvedParameterName, g.previousParameterName, g.stateParameterName])
        .concat([DENY]),
    );
    const detailTypes = [...Object.keys(REFRESH_EVENT_KINDS), ...ACTIVITY_DETAIL_TYPES, PARAMETER_CHANGE_DETAIL_TYPE];
    const statuses = ['Pending', 'InProgress', 'Successful', 'Failed', 'Cancelled', 'RollbackSuccessful'];
    const input = fc.record({
      detailType: fc.oneof(
        { arbitrary: fc.constantFrom(...detailTypes), weight: 4 },
        { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES), weight: 1 },
      ),
      asg: fc.constantFrom(...ASGS),
      parameterName: fc.constantFrom(APPROVED, PAUSE, ...PROTOTYPE_NAMES),
      paused: fc.constantFrom('true', 'false', ...PROTOTYPE_NAMES),
      refreshId: fc.uuid(),
      approved: fc.constantFrom(AMI_CUR, AMI_OLD),
      refreshes: fc.array(fc.record({ status: fc.constantFrom(...statuses, ...PROTOTYPE_NAMES) }), { maxLength: 2 }),
    });
    let wrote = 0;
    // One fake AWS for all cases (building one costs more than a case); every case starts from a fresh world, a clean
    // call history, a fresh logger and notifier, so a case replays alone exactly as it ran in the sequence.
    const world = new WatcherWorld();
    const kit = watcherWorldDeps(world, config);
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        // GIVEN a world with our parameters and some refresh history, and a valid event naming one of our ASGs
        Object.assign(world, new WatcherWorld());
        [kit.ssmMock, kit.asgMock, kit.ec2Mock, kit.snsMock].forEach((mock) => mock.resetHistory());
        const deps = { ...kit.deps, logger: recordingLogger(), notifier: recordingNotifier() };
        world
          .param(APPROVED, i.approved, 'String', 'aws:ec2:image')
          .param(PREVIOUS, AMI_OLD, 'String', 'aws:ec2:image')
          .param(PAUSE, i.paused);
        i.refreshes.forEach((r, n) =>
          world.groups.get(i.asg)!.refreshes.push({ id: n === 0 ? i.refreshId : `r-${n}`, status: r.status }),
        );
        const event =
          i.detailType === PARAMETER_CHANGE_DETAIL_TYPE
            ? adapt(PARAMETER_CHANGE, {}, { name: i.parameterName })
            : adapt(
                REFRESH_FILES[0],
                { 'detail-type': i.detailType },
                { AutoScalingGroupName: i.asg, InstanceRefreshId: i.refreshId },
              );
        // WHEN handled (it must not throw)
        await createAmiWatcherHandler(deps)(event);
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
      fuzzParameters(VALID_EVENT_RUNS),
    );
    // AND the property is not vacuous: some events made the watcher write state
    expect(wrote).toBeGreaterThan(0);
  });
});
