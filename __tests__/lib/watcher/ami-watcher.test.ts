import { AmiSource } from '../../../lib/ami/ami-source';
import { EcsAmiRolloutProps } from '../../../lib/ecs-ami-rollout';
import { resourcesOf, synthRollout } from '../../support/synth';
import { parseJsonencode } from '../../support/synth-rules';
import type { JsonObject as Json } from '../../support/json';

function watcherStatements(json: Json): Json[] {
  return Object.entries(json.data.aws_iam_policy_document as Record<string, Json>)
    .filter(([key]) => key.includes('ami-watcher') && !key.includes('trust') && !key.includes('assume'))
    .flatMap(([, doc]) => doc.statement ?? []);
}

function watcherFunction(json: Json): Json {
  return resourcesOf(json, 'aws_lambda_function').find((f) => f.environment.variables.WATCHER_CONFIG)!;
}

/** WATCHER_CONFIG as the function receives it (Terraform references kept as `${reference}`). */
function watcherConfig(json: Json): Json {
  return parseJsonencode(watcherFunction(json).environment.variables.WATCHER_CONFIG) as Json;
}

describe('AmiWatcher', () => {
  // GIVEN an auto group and a gitops group
  const { json } = synthRollout({
    nodeGroups: [{ name: 'x86' }, { name: 'arm', architecture: 'arm64', amiMode: 'gitops' }],
  });

  test('hourly schedule and refresh / launch-result events of the node groups', () => {
    expect(resourcesOf(json, 'aws_cloudwatch_event_rule').map((r) => r.schedule_expression)).toContain('rate(1 hour)');
    const refreshRule = resourcesOf(json, 'aws_cloudwatch_event_rule').find((r) =>
      String(r.event_pattern).includes('Instance Refresh'),
    )!;
    expect(refreshRule.event_pattern).toContain('prefix');
    expect(refreshRule.event_pattern).toContain('EC2 Instance Launch Unsuccessful');
    expect(refreshRule.event_pattern).toMatch(/aws_ecs_cluster\.\w+\.name\}-x86/);
  });

  test('Parameter Store Change of the auto groups’ approved parameters and pause switch (with or without "/")', () => {
    // THEN one rule matches aws.ssm "Parameter Store Change" by detail.name
    const rule = resourcesOf(json, 'aws_cloudwatch_event_rule').find((r) =>
      String(r.event_pattern).includes('Parameter Store Change'),
    )!;
    const pattern = String(rule.event_pattern);
    expect(pattern).toContain('aws.ssm');
    expect(pattern).toMatch(/aws_ssm_parameter\.[\w-]*x86[\w-]*approved-ami[\w-]*\.name/);
    expect(pattern).toMatch(/trimprefix\(aws_ssm_parameter\.[\w-]*x86[\w-]*approved-ami[\w-]*\.name, "\/"\)/);
    expect(pattern).toMatch(/aws_ssm_parameter\.[\w-]*paused[\w-]*\.name/);
    // AND never the gitops group's parameters
    expect(pattern).not.toMatch(/arm[\w-]*approved/);
  });

  test('config: auto group with approved/previous parameters, gitops group report-only, policy defaults', () => {
    const config = watcherConfig(json);
    const [auto, gitops] = config.nodeGroups;
    expect([auto.mode, gitops.mode]).toEqual(['auto', 'gitops']);
    expect(gitops.sourceParameterName).toBe(
      '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id',
    );
    expect(config.policy.minAmiAgeHours).toBe(24);
    expect(auto.approvedParameterName).toMatch(/^\$\{aws_ssm_parameter\.[\w-]+approved-ami[\w-]*\.name\}$/);
    expect(gitops.approvedParameterName).toBeUndefined();
  });

  test('pause switch, deny list and per-group state parameters are created once and never drift', () => {
    const names = resourcesOf(json, 'aws_ssm_parameter').map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/paused$/),
        expect.stringMatching(/\/denied-amis$/),
        expect.stringMatching(/\/x86\/watcher-state$/),
        expect.stringMatching(/\/arm\/watcher-state$/),
      ]),
    );
    for (const parameter of resourcesOf(json, 'aws_ssm_parameter')) {
      expect(parameter.lifecycle).toEqual({ ignore_changes: ['value', 'insecure_value'] });
    }
  });

  test('IAM: start refreshes of auto groups, cancel those of every watched group, read the cluster’s services', () => {
    const statements = watcherStatements(json);
    expect(statements.find((s) => s.sid === 'RollOwnGroups')!.actions).toEqual(['autoscaling:StartInstanceRefresh']);
    const cancel = statements.find((s) => s.sid === 'CancelRefreshesOfOwnGroups')!;
    expect(cancel.resources).toEqual([expect.stringMatching(/-x86$/), expect.stringMatching(/-arm$/)]);
    const list = statements.find((s) => s.sid === 'ListClusterServices')!;
    expect(list).toMatchObject({ actions: ['ecs:ListServices'], resources: ['*'] });
    expect(list.condition).toEqual([
      { test: 'ArnEquals', variable: 'ecs:cluster', values: [expect.stringMatching(/aws_ecs_cluster\.\w+\.arn/)] },
    ]);
    expect(statements.find((s) => s.sid === 'CheckServiceHeadroom')!.resources).toEqual([
      expect.stringMatching(/:service\/\$\{aws_ecs_cluster\.\w+\.name\}\/\*$/),
    ]);
    expect(statements.flatMap((s) => s.actions)).not.toContain('autoscaling:TerminateInstanceInAutoScalingGroup');
  });

  test('config: refresh alarms, hook timeouts and the rollback policy reach the watcher', () => {
    const { json: custom } = synthRollout({
      nodeGroups: [
        { name: 'x86', instanceRefresh: { alarmNames: ['prod-5xx'] }, launchHook: { heartbeatTimeoutSeconds: 1200 } },
      ],
      amiWatcher: { abandonedLaunchesToRollBack: 5, refreshDeadlineSeconds: 7200 },
    });
    const config = watcherConfig(custom);
    expect(config.nodeGroups[0].refreshPreferences.alarmNames).toEqual(['prod-5xx']);
    expect(config.nodeGroups[0].hookTimeouts).toEqual({ launchSeconds: 1200, terminateSeconds: 3600 });
    expect(config.policy).toMatchObject({ abandonedLaunchesToRollBack: 5, refreshDeadlineSeconds: 7200 });
  });

  test('IAM: refresh only the auto groups, write only module parameters, read public parameters', () => {
    const statements = watcherStatements(json);
    const roll = statements.find((s) => s.sid === 'RollOwnGroups')!;
    expect(roll.resources).toEqual([
      expect.stringMatching(/autoScalingGroupName\/\$\{aws_ecs_cluster\.\w+\.name\}-x86$/),
    ]);
    const write = statements.find((s) => s.sid === 'WriteOwnParameters')!;
    for (const arn of write.resources) expect(arn).not.toContain('/aws/service/');
    const read = statements.find((s) => s.sid === 'ReadAmiParameters')!;
    expect(read.resources).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /:ssm:\$\{data\.aws_region\.[\w-]+\.name\}::parameter\/aws\/service\/ecs\/optimized-ami\//,
        ),
      ]),
    );
    // Module-owned parameter names start with "/": the ARN must not get a double slash.
    for (const arn of read.resources) expect(arn).not.toMatch(/parameter\/\//);
    expect(read.resources).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /:parameter\/\$\{trimprefix\(aws_ssm_parameter\.[\w-]+approved-ami[\w-]*\.name, "\/"\)\}$/,
        ),
      ]),
    );
    for (const s of statements.filter((st) => (st.resources ?? []).includes('*'))) {
      for (const action of s.actions) expect(action).toMatch(/:(Describe|List|Get)/);
    }
  });

  test('pinned gitops groups have nothing to watch; without auto groups no refresh permission', () => {
    const pinned = synthRollout({
      nodeGroups: [
        { name: 'x86', amiMode: 'gitops', amiSource: AmiSource.pinned('ami-0123456789abcdef0') },
        { name: 'y', amiMode: 'gitops' },
      ],
    }).json;
    expect(watcherConfig(pinned).nodeGroups.map((g: Json) => g.name)).toEqual(['y']);
    expect(watcherStatements(pinned).find((s) => s.sid === 'RollOwnGroups')).toBeUndefined();
    // AND no Parameter Store Change rule (no approved parameter to watch)
    expect(
      resourcesOf(pinned, 'aws_cloudwatch_event_rule').some((r) =>
        String(r.event_pattern).includes('Parameter Store Change'),
      ),
    ).toBe(false);
  });

  test.each<[string, Partial<EcsAmiRolloutProps>, RegExp]>([
    [
      'min age above 30 days',
      { amiWatcher: { minAmiAgeHours: 721 } },
      /AmiWatcher\.minAmiAgeHours: 721 is invalid — must be an integer between 0 and 720/,
    ],
    [
      'a negative abandoned-launch threshold',
      { amiWatcher: { abandonedLaunchesToRollBack: -1 } },
      /AmiWatcher\.abandonedLaunchesToRollBack: -1 is invalid/,
    ],
    [
      'a refresh deadline under ten minutes',
      { amiWatcher: { refreshDeadlineSeconds: 60 } },
      /AmiWatcher\.refreshDeadlineSeconds: 60 is invalid/,
    ],
    [
      'window ending before it starts',
      { amiWatcher: { maintenanceWindows: [{ days: ['Tue'], startHour: 16, endHour: 9 }] } },
      /AmiWatcher\.maintenanceWindows\[0\]: .* is invalid — must end after it starts/,
    ],
    [
      'window hour 24 as start',
      { amiWatcher: { maintenanceWindows: [{ days: ['Tue'], startHour: 24, endHour: 24 }] } },
      /maintenanceWindows\[0\]\.startHour: 24 is invalid/,
    ],
    [
      'window without days',
      { amiWatcher: { maintenanceWindows: [{ days: [], startHour: 9, endHour: 16 }] } },
      /maintenanceWindows\[0\]\.days: \[\] is invalid — must not be empty/,
    ],
    [
      'malformed schedule',
      { amiWatcher: { schedule: 'rate(1 hours)' } },
      /AmiWatcher\.schedule: "rate\(1 hours\)" is invalid/,
    ],
  ])('rejects %s', (_name, props, message) => {
    expect(() => synthRollout(props)).toThrow(message);
  });
});

test('a pipeline webhook URL is refused: only the name of a SecureString parameter is accepted', () => {
  expect(() =>
    synthRollout({ amiWatcher: { pipelineWebhookParameterName: 'https://ci.example.com/hook?token=x' } }),
  ).toThrow(
    /AmiWatcher\.pipelineWebhookParameterName: "https:\/\/ci\.example\.com\/hook\?token=x" is invalid — may only contain letters, digits and _ \. - \/\. Fix: pass the NAME of an SSM SecureString parameter/,
  );
});

describe('legacy ECS AMI SNS topic (off by default)', () => {
  const TOPIC = 'arn:aws:sns:us-east-1:177427601217:ecs-optimized-amazon-ami-update';

  test('not subscribed unless asked', () => {
    expect(resourcesOf(synthRollout().json, 'aws_sns_topic_subscription')).toEqual([]);
  });

  test('subscribes the watcher with an invoke permission scoped to the topic, passes the topic in its config', () => {
    // GIVEN the legacy topic WHEN synthesized
    const { json } = synthRollout({ amiWatcher: { legacyAmiTopicArn: TOPIC } });
    // THEN one lambda subscription, a permission with source_arn = the topic, and the topic in WATCHER_CONFIG
    expect(resourcesOf(json, 'aws_sns_topic_subscription')).toEqual([
      expect.objectContaining({ topic_arn: TOPIC, protocol: 'lambda' }),
    ]);
    expect(resourcesOf(json, 'aws_lambda_permission')).toEqual(
      expect.arrayContaining([expect.objectContaining({ principal: 'sns.amazonaws.com', source_arn: TOPIC })]),
    );
    expect(watcherConfig(json).legacyAmiTopicArn).toBe(TOPIC);
  });

  test('rejects something that is not a topic ARN', () => {
    expect(() => synthRollout({ amiWatcher: { legacyAmiTopicArn: 'ecs-optimized-amazon-ami-update' } })).toThrow(
      /AmiWatcher\.legacyAmiTopicArn: "ecs-optimized-amazon-ami-update" is invalid — must be an SNS topic ARN/,
    );
  });
});
