/**
 * Regression cases for issue 18: untrusted strings that name Object.prototype members (`valueOf`, `toString`,
 * `constructor`, `__proto__`, `hasOwnProperty`, `isPrototypeOf` …, see support/prototype-names.ts) must never be
 * taken for an entry of a lookup table. The first counterexample came from the watcher fuzzer (fast-check seed
 * 1857252145): an aws.autoscaling event with detail-type "valueOf" was routed as an instance refresh event and the
 * watcher started calling AWS. Every such name is checked here on every run, whatever seed the fuzzers draw.
 */
import { UpdateContainerAgentCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ECSClient } from '@aws-sdk/client-ecs';
import { at } from '../../cli/plan-summary/plan-json';
import { refreshReasons } from '../../cli/plan-summary/refresh-reasons';
import { summarizePlan } from '../../cli/plan-summary/summarize';
import { AmiVariant, ecsOptimizedAmi, OsFamily } from '../../lib/ami/ecs-optimized-parameters';
import { routeEvent } from '../../lambdas/gates/events';
import { startAgentUpdate } from '../../lambdas/monitor/adapters';
import { routeMonitorEvent } from '../../lambdas/monitor/monitor-handler';
import { decide } from '../../lambdas/monitor/agent-decision';
import { createAmiWatcherHandler } from '../../lambdas/watcher/watcher-handler';
import { routeWatcherEvent } from '../../lambdas/watcher/events';
import { eventKindForStatus } from '../../lambdas/watcher/refresh-outcome-decision';
import { ASG as GATE_ASG, LAUNCH_HOOK, testConfig } from '../lambdas/gates/helpers/gate-test-kit';
import { instance, monitorConfig, NOW, snapshot } from '../lambdas/monitor/fixtures';
import { ASG, LEGACY_TOPIC, T0, watcherConfig } from '../lambdas/watcher/helpers/watcher-kit';
import { adapt, recordingLogger } from './support/event-arbitraries';
import { PROTOTYPE_NAMES } from './support/prototype-names';
import { recordingNotifier, recordingPipeline, silentAws } from './support/silent-aws';

const REFRESH_STARTED = 'watcher/autoscaling-instance-refresh-started.json';

describe('AMI watcher: prototype names in events', () => {
  const config = watcherConfig({ legacyAmiTopicArn: LEGACY_TOPIC });

  test.each(PROTOTYPE_NAMES)(
    'ignores an aws.autoscaling event with detail-type "%s", calling no AWS API',
    async (name) => {
      // GIVEN a watcher and a refresh event for its own ASG whose detail-type names an Object.prototype member
      const aws = silentAws();
      const logger = recordingLogger();
      const notifier = recordingNotifier();
      const pipeline = recordingPipeline();
      const handler = createAmiWatcherHandler({ ...aws.clients, now: () => T0, config, logger, notifier, pipeline });
      const event = adapt(REFRESH_STARTED, { 'detail-type': name }, { AutoScalingGroupName: ASG });
      // WHEN it is handled
      const result = await handler(event);
      // THEN it is ignored with one log line, and nothing is read, written or sent
      expect(result).toMatchObject({ trigger: 'ignore', retryLater: false, outcomes: [] });
      expect(logger.lines.map((line) => line.message)).toEqual(['event ignored']);
      expect(aws.calls()).toEqual([]);
      expect([notifier.sent, pipeline.posted]).toEqual([[], []]);
    },
  );

  test.each(PROTOTYPE_NAMES)('routes an event whose source or parameter name is "%s" to ignore', (name) => {
    const refresh = adapt(REFRESH_STARTED, { source: name }, { AutoScalingGroupName: ASG });
    const parameter = {
      source: 'aws.ssm',
      'detail-type': 'Parameter Store Change',
      detail: { name, operation: 'Update', type: 'String' },
    };
    expect(routeWatcherEvent(refresh, config).kind).toBe('ignore');
    expect(routeWatcherEvent(parameter, config).kind).toBe('ignore');
  });

  test.each(PROTOTYPE_NAMES)('treats refresh status "%s" as not ended', (name) => {
    expect(eventKindForStatus(name)).toBeUndefined();
  });
});

describe('lifecycle gates: prototype names in events', () => {
  const config = testConfig();

  test.each(PROTOTYPE_NAMES)('ignore detail-type, source, ASG and hook "%s"', (name) => {
    const lifecycle = (envelope: object, detail: object) =>
      adapt('autoscaling-launch-lifecycle-action.json', envelope, {
        AutoScalingGroupName: GATE_ASG,
        LifecycleHookName: LAUNCH_HOOK,
        ...detail,
      });
    const events = [
      lifecycle({ 'detail-type': name }, {}),
      lifecycle({ source: name }, {}),
      lifecycle({}, { AutoScalingGroupName: name }),
      lifecycle({}, { LifecycleHookName: name }),
    ];
    expect(events.map((event) => routeEvent(event, config, 'launch').kind)).toEqual([
      'ignore',
      'ignore',
      'ignore',
      'ignore',
    ]);
  });
});

describe('agent monitor: prototype names in events and AWS answers', () => {
  const config = monitorConfig();
  const UNDESCRIBED = 'ami-0fff00000000000ff';

  test.each(PROTOTYPE_NAMES)('does not run on a scheduled-looking event with detail-type "%s"', (name) => {
    expect(routeMonitorEvent({ source: 'aws.events', 'detail-type': name }).run).toBe(false);
  });

  test.each(PROTOTYPE_NAMES)('reports an UpdateContainerAgent error named "%s" as failed', async (name) => {
    // GIVEN UpdateContainerAgent fails with an error whose name is not one of the expected exceptions
    const ecs = new ECSClient({ region: 'eu-west-1' });
    mockClient(ecs)
      .on(UpdateContainerAgentCommand)
      .rejects(Object.assign(new Error('odd'), { name }));
    // WHEN the monitor starts an update THEN the outcome is "failed" with the error named
    const result = await startAgentUpdate(ecs, 'prod', 'arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/x');
    expect(result).toEqual({ outcome: 'failed', errorName: name, errorMessage: 'odd' });
  });

  test.each(PROTOTYPE_NAMES)('treats an instance on AMI id "%s" like one on an AMI EC2 does not describe', (name) => {
    // GIVEN one instance behind on its agent, on an AMI whose id names a prototype member (or an undescribed one)
    const fleet = (amiId: string) =>
      snapshot([instance(1, { amiId, agentVersion: '1.80.0' }), instance(2, { agentVersion: '1.89.1' })]);
    // WHEN the monitor decides
    const odd = decide(fleet(name), undefined, { ...config, updateAgents: true }, NOW);
    const plain = decide(fleet(UNDESCRIBED), undefined, { ...config, updateAgents: true }, NOW);
    // THEN the AMI has no name and no age, the update is skipped for the same reason, and the drift notification
    // lists the AMI under its own id
    const web = odd.report.drift.find((drift) => drift.nodeGroup === 'web')!;
    expect(web.amis.find((usage) => usage.amiId === name)).toEqual({
      amiId: name,
      name: undefined,
      count: 1,
      approved: false,
      ageDays: undefined,
    });
    expect(odd.updatePlan).toEqual(plain.updatePlan);
    const drift = odd.notifications.find((planned) => planned.category === 'drift:web')!;
    expect(Object.hasOwn(drift.notification.details ?? {}, name)).toBe(true);
  });
});

describe('plan-summary: prototype names in plan JSON', () => {
  test.each(PROTOTYPE_NAMES)('counts a resource change with action "%s" under its own name', (name) => {
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_s3_bucket.logs',
          mode: 'managed' as const,
          type: 'aws_s3_bucket',
          name: 'logs',
          change: { actions: [name as 'create'], before: null, after: {} },
        },
      ],
    };
    const { otherCounts } = summarizePlan(plan);
    expect(Object.entries(otherCounts)).toEqual([[name, 1]]);
  });
});

describe('ECS-optimized AMI lookup: prototype names as props', () => {
  test.each(PROTOTYPE_NAMES)('answers OS family or variant "%s" with a message instead of a TypeError', (name) => {
    expect(ecsOptimizedAmi(name as OsFamily, 'standard', 'x86_64')).toEqual(expect.stringContaining(name));
    expect(ecsOptimizedAmi('al2023', name as AmiVariant, 'x86_64')).toEqual(expect.stringContaining(name));
  });
});

describe('plan-summary: prototype names as paths into plan values', () => {
  test.each(PROTOTYPE_NAMES)('reads nothing at path "%s" of a plan value that does not have it', (name) => {
    expect([at({}, name), at({ a: {} }, 'a', name), at([], name)]).toEqual([undefined, undefined, undefined]);
  });
});

describe('plan-summary: prototype names as launch template attribute names', () => {
  test.each(PROTOTYPE_NAMES)('gives no refresh reason for an attribute "%s" that stays unset', (name) => {
    // GIVEN a group whose launch template update sets attribute `name` to null (unset before and after)
    const asg = {
      address: 'aws_autoscaling_group.web',
      mode: 'managed' as const,
      type: 'aws_autoscaling_group',
      name: 'web',
      change: { actions: ['update' as const], before: { launch_template: [{ id: 'lt-1' }] }, after: {} },
    };
    const template = {
      address: 'aws_launch_template.web',
      mode: 'managed' as const,
      type: 'aws_launch_template',
      name: 'web',
      change: { actions: ['update' as const], before: { id: 'lt-1' }, after: { id: 'lt-1', [name]: null } },
    };
    // WHEN the reasons of its refresh are listed THEN the unset attribute is none of them
    expect(refreshReasons(asg, [asg, template], [])).toEqual(['launch template version changes']);
  });
});
