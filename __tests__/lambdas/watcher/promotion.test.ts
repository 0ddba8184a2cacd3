import { StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { GetParameterCommand, SSMServiceException } from '@aws-sdk/client-ssm';
import { createAmiWatcherHandler } from '../../../lambdas/watcher/watcher-handler';
import { fakeDeps, WatcherWorld } from './helpers/watcher-world';
import {
  AMI_CUR,
  AMI_NEW,
  AMI_OLD,
  APPROVED,
  ASG,
  DENY,
  GITOPS_ASG,
  GITOPS_STATE,
  GPU_SOURCE,
  PAUSE,
  PREVIOUS,
  SOURCE,
  STATE,
  T0,
  decisionLines,
  hoursAfter,
  loadEvent,
  refreshEvent,
  watcherConfig,
} from './helpers/watcher-kit';

const schedule = () => loadEvent('eventbridge-scheduled-event.json');

/** GIVEN auto mode on AMI_CUR; the public parameter now recommends AMI_NEW, released `ageHours` ago. */
function setup(ageHours = 48, prepare: (world: WatcherWorld) => void = () => undefined) {
  const world = WatcherWorld.auto()
    .param(SOURCE, AMI_NEW)
    .image(AMI_NEW, hoursAfter(-ageHours))
    .image(AMI_CUR, hoursAfter(-500));
  prepare(world);
  const kit = fakeDeps(world, watcherConfig());
  // Only the auto node group is under test here; the gitops one (no source parameter in this world) is covered below.
  const published = () => kit.published().filter((subject) => subject.includes('prod/general'));
  return { world, ...kit, published, handler: createAmiWatcherHandler(kit.deps) };
}

const general = (result: { outcomes: readonly { nodeGroup: string; reason: string }[] }) =>
  result.outcomes.find((o) => o.nodeGroup === 'general');

describe('AMI watcher: promotion (auto mode)', () => {
  it('promotes a new AMI from the scheduled event: previous, approved, state, then a Rolling refresh', async () => {
    const { handler, world, puts, asgMock, published, logger } = setup();
    // WHEN the documented scheduled event arrives
    const result = await handler(schedule());
    // THEN the rollback target is written before the new AMI, both as aws:ec2:image
    const amiWrites = puts().filter((p) => p.DataType === 'aws:ec2:image');
    expect(amiWrites).toEqual([
      { Name: PREVIOUS, Value: AMI_CUR, Type: 'String', DataType: 'aws:ec2:image', Overwrite: true },
      { Name: APPROVED, Value: AMI_NEW, Type: 'String', DataType: 'aws:ec2:image', Overwrite: true },
    ]);
    // AND the refresh replaces every instance with the node group's preferences (SkipMatching false, no AutoRollback,
    // scale-in protected and Standby instances replaced rather than waited for)
    expect(asgMock.commandCalls(StartInstanceRefreshCommand).map((c) => c.args[0].input)).toEqual([
      {
        AutoScalingGroupName: ASG,
        Strategy: 'Rolling',
        Preferences: {
          MinHealthyPercentage: 90,
          MaxHealthyPercentage: 120,
          InstanceWarmup: 60,
          CheckpointPercentages: [50, 100],
          CheckpointDelay: 600,
          SkipMatching: false,
          AutoRollback: false,
          ScaleInProtectedInstances: 'Refresh',
          StandbyInstances: 'Terminate',
        },
      },
    ]);
    // AND the state records the promotion and the refresh id
    expect(JSON.parse(world.value(STATE)!)).toMatchObject({
      history: [AMI_NEW],
      refresh: { id: 'refresh-1', amiId: AMI_NEW, previousAmiId: AMI_CUR },
    });
    expect(general(result)).toMatchObject({ decision: 'PROMOTE', amiId: AMI_NEW });
    expect(published()).toEqual([
      `[INFO] prod/general: AMI ${AMI_NEW} promoted for node group general (was ${AMI_CUR})`,
      `[INFO] prod/general: Instance refresh started: ${AMI_CUR} → ${AMI_NEW}`,
    ]);
    // AND one decision line per node group
    expect(decisionLines(logger).map((l) => l.fields.nodeGroup)).toEqual(['general', 'gpu']);
  });

  it('starts the refresh only once SSM has validated the new approved AMI', async () => {
    const { handler, world, asgMock, clock, published } = setup(48, (w) => (w.holdImageWrites = true));
    // WHEN SSM is still validating the aws:ec2:image write
    const first = await handler(schedule());
    // THEN no refresh yet: replacements would still resolve the old AMI
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
    expect(general(first)?.reason).toMatch(/waiting for SSM to validate/);
    expect(JSON.parse(world.value(STATE)!).pending).toMatchObject({ amiId: AMI_NEW, previousAmiId: AMI_CUR });
    // WHEN validation finished and the next schedule runs
    world.validate();
    clock.now = hoursAfter(1);
    const second = await handler(schedule());
    expect(general(second)).toMatchObject({ decision: 'REFRESH_STARTED' });
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
    // AND the Started event that follows does not page a second time
    await handler(refreshEvent('started', { AutoScalingGroupName: ASG, InstanceRefreshId: 'refresh-1' }));
    expect(published().filter((s) => /Instance refresh started/.test(s))).toHaveLength(1);
  });

  it('never starts a refresh while another one is in progress', async () => {
    // GIVEN a refresh someone else started is still InProgress
    const { handler, asgMock, published } = setup(48, (w) => w.refresh(ASG, 'terraform-refresh', 'InProgress'));
    // WHEN the schedule runs
    const result = await handler(schedule());
    expect(general(result)).toMatchObject({
      decision: 'SKIP',
      reason: expect.stringMatching(/terraform-refresh is InProgress/),
    });
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
    // AND a transient skip is logged, not paged
    expect(published()).toEqual([]);
  });

  it('reports a too-new AMI once, stays quiet on the next runs, and promotes it once old enough', async () => {
    // GIVEN the new AMI was released 3 h ago (minimum age 24 h)
    const { handler, clock, published, asgMock } = setup(3);
    // WHEN the schedule runs twice, an hour apart
    const first = await handler(schedule());
    expect(general(first)).toMatchObject({
      decision: 'SKIP',
      reason: expect.stringContaining(`AMI ${AMI_NEW} is 3h old; minimum age 24h`),
    });
    clock.now = hoursAfter(1);
    await handler(schedule());
    // THEN one notification says why, and the second run stays quiet
    expect(published()).toEqual([
      `[INFO] prod/general: New AMI ${AMI_NEW} detected; not promoted yet: AMI ${AMI_NEW} is 3h old; minimum age 24h`,
    ]);
    // WHEN 24 h have passed since the release
    clock.now = hoursAfter(21);
    const later = await handler(schedule());
    expect(general(later)).toMatchObject({ decision: 'PROMOTE' });
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
  });

  it.each([
    ['"true"', 'true', /pause switch .* is "true"/],
    [
      'an unexpected value (fail safe)',
      'yes please',
      /holds "yes please" \(expected true or false\): treated as paused/,
    ],
  ])('does nothing while the pause switch holds %s', async (_name, value, reason) => {
    // GIVEN the pause switch holds the value
    const { handler, world, asgMock } = setup(48, (w) => w.param(PAUSE, value));
    // WHEN the schedule runs, THEN nothing is written or started
    const result = await handler(schedule());
    expect(general(result)).toMatchObject({ decision: 'SKIP', reason: expect.stringMatching(reason) });
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
  });

  it('skips an AMI on the deny list (JSON array format) with a warning', async () => {
    // GIVEN the deny list (a JSON array) holds the candidate
    const { handler, world, published } = setup(48, (w) => w.param(DENY, JSON.stringify([AMI_OLD, AMI_NEW])));
    // WHEN the schedule runs, THEN it is skipped with a warning and the approved AMI is unchanged
    const result = await handler(schedule());
    expect(general(result)).toMatchObject({ decision: 'SKIP', reason: expect.stringMatching(/deny list/) });
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(published()).toEqual([
      expect.stringMatching(/^\[WARNING\] prod\/general: New AMI .* detected; not promoted yet/),
    ]);
  });

  it.each([
    ['missing', undefined, /does not exist/],
    ['not an AMI id', 'ami-latest', /holds "ami-latest", not an AMI id/],
  ])('skips with a warning when the source parameter is %s', async (_name, value, reason) => {
    // GIVEN a broken source parameter
    const { handler, world, published } = setup(48, (w) =>
      value === undefined ? w.parameters.delete(SOURCE) : w.param(SOURCE, value),
    );
    // WHEN the schedule runs, THEN nothing changes and a warning names the parameter
    const result = await handler(schedule());
    expect(general(result)).toMatchObject({ decision: 'SKIP', reason: expect.stringMatching(reason) });
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(published()).toEqual([
      expect.stringMatching(/^\[WARNING\] prod\/general: No AMI promoted: source parameter \/aws\/service\//),
    ]);
  });

  it('reads the JSON form of the …/recommended parameter', async () => {
    // GIVEN the source is the JSON `…/recommended` document
    const { handler, world } = setup(48, (w) =>
      w.param(SOURCE, JSON.stringify({ image_id: AMI_NEW, image_name: 'al2023-ami-ecs-hvm' })),
    );
    // WHEN the schedule runs, THEN its image_id is promoted
    await handler(schedule());
    expect(world.value(APPROVED)).toBe(AMI_NEW);
  });

  it('ends a throttled node group as "retry later" without deciding anything', async () => {
    // GIVEN SSM throttles the source parameter read (after the SDK's own retries)
    const { handler, ssmMock, world } = setup();
    ssmMock.on(GetParameterCommand, { Name: SOURCE }).rejects(
      new SSMServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );
    // WHEN the schedule runs, THEN that node group retries later and nothing was decided
    const result = await handler(schedule());
    expect(result.retryLater).toBe(true);
    expect(general(result)).toMatchObject({ decision: 'RETRY_LATER' });
    expect(world.value(APPROVED)).toBe(AMI_CUR);
  });
});

describe('AMI watcher: gitops mode', () => {
  function gitops() {
    const world = new WatcherWorld()
      .param(GPU_SOURCE, AMI_NEW)
      .image(AMI_NEW, hoursAfter(-30))
      .fleet(GITOPS_ASG, AMI_CUR, 2)
      .fleet(GITOPS_ASG, AMI_OLD, 1, 'o');
    const kit = fakeDeps(
      world,
      watcherConfig({ pipelineWebhookParameterName: '/ecs-ami-rollout/prod/pipeline-webhook' }),
    );
    return { world, ...kit, handler: createAmiWatcherHandler(kit.deps) };
  }
  const gpu = (result: { outcomes: readonly { nodeGroup: string }[] }) =>
    result.outcomes.find((o) => o.nodeGroup === 'gpu');

  it('reports the new AMI and posts to the pipeline webhook, but never writes an AMI or starts a refresh', async () => {
    // GIVEN a gitops node group on older AMIs and a pipeline webhook
    const { handler, world, puts, asgMock, published, pipeline } = gitops();
    // WHEN the schedule runs
    const result = await handler(schedule());
    expect(gpu(result)).toMatchObject({ decision: 'REPORT_ONLY', amiId: AMI_NEW });
    // THEN a report and one pipeline POST, and no AMI write or refresh
    expect(published()).toContain(
      `[INFO] prod/gpu: New AMI ${AMI_NEW} available for node group gpu; 3 instance(s) run older AMIs`,
    );
    expect(pipeline.payloads).toEqual([
      expect.objectContaining({
        type: 'ecs-ami-rollout.ami-available',
        version: 1,
        cluster: 'prod',
        nodeGroup: 'gpu',
        asgName: GITOPS_ASG,
        amiId: AMI_NEW,
        instancesOnOlderAmis: 3,
        detectedAt: T0.toISOString(),
      }),
    ]);
    expect(puts().filter((p) => p.DataType === 'aws:ec2:image')).toEqual([]);
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
    expect(JSON.parse(world.value(GITOPS_STATE)!).history).toEqual([AMI_NEW]);
  });

  it('reports each AMI once', async () => {
    // GIVEN the AMI was reported on the previous run
    const { handler, clock, published, pipeline } = gitops();
    await handler(schedule());
    // WHEN the schedule runs again, THEN nothing new is reported
    clock.now = hoursAfter(1);
    const second = await handler(schedule());
    expect(gpu(second)).toMatchObject({ decision: 'NOTHING_NEW', reason: expect.stringMatching(/already reported/) });
    expect(published().filter((s) => s.includes('prod/gpu'))).toHaveLength(1);
    expect(pipeline.payloads).toHaveLength(1);
  });
});

describe('AMI watcher: triggers', () => {
  it('evaluates on a message from the configured legacy ECS AMI topic, and ignores SNS otherwise', async () => {
    const topic = 'arn:aws:sns:us-east-1:177427601217:ecs-optimized-amazon-ami-update';
    const sample = loadEvent('watcher/sns-notification.json') as { Records: Array<{ Sns: Record<string, unknown> }> };
    const fromTopic = { Records: [{ ...sample.Records[0], Sns: { ...sample.Records[0].Sns, TopicArn: topic } }] };
    // GIVEN the documented SNS sample event, re-addressed to the legacy topic
    const world = WatcherWorld.auto().param(SOURCE, AMI_NEW).image(AMI_NEW, hoursAfter(-48));
    // WHEN the SNS trigger is off, or the topic is another one, THEN the message is ignored
    const off = createAmiWatcherHandler(fakeDeps(world, watcherConfig()).deps);
    expect(await off(fromTopic)).toMatchObject({
      trigger: 'ignore',
      ignored: expect.stringMatching(/SNS trigger is off/),
    });
    const on = createAmiWatcherHandler(fakeDeps(world, watcherConfig({ legacyAmiTopicArn: topic })).deps);
    expect(await on(sample)).toMatchObject({
      trigger: 'ignore',
      ignored: expect.stringMatching(/arn:aws:sns:EXAMPLE is not/),
    });
    // WHEN it comes from the configured topic, THEN it evaluates like the schedule
    const result = await on(fromTopic);
    expect(result.trigger).toBe('sweep');
    expect(world.value(APPROVED)).toBe(AMI_NEW);
  });

  it('ignores refresh events of ASGs it does not manage (the documented sample names my-asg)', async () => {
    // GIVEN the unmodified documented Failed event (ASG my-asg)
    const { handler, published } = setup();
    // WHEN it arrives, THEN it is ignored without a notification
    const result = await handler(loadEvent('watcher/autoscaling-instance-refresh-failed.json'));
    expect(result).toEqual({
      trigger: 'ignore',
      ignored: 'ASG my-asg is not managed by this watcher',
      retryLater: false,
      outcomes: [],
    });
    expect(published()).toEqual([]);
  });

  it('ignores foreign and malformed events without throwing', async () => {
    // GIVEN events of another service, a malformed refresh event and a non-event
    const { handler, logger } = setup();
    // THEN each is logged once and ignored
    await expect(
      handler({ source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: {} }),
    ).resolves.toMatchObject({ trigger: 'ignore' });
    await expect(
      handler({ source: 'aws.autoscaling', 'detail-type': 'EC2 Auto Scaling Instance Refresh Failed', detail: {} }),
    ).resolves.toMatchObject({ ignored: expect.stringMatching(/malformed/) });
    await expect(handler('not an event')).resolves.toMatchObject({ trigger: 'ignore' });
    expect(logger.lines.filter((l) => l.message === 'event ignored')).toHaveLength(3);
  });
});
