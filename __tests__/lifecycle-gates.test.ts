import { EcsAmiRolloutProps } from '../lib/ecs-ami-rollout';
import { resourcesOf, synthRollout } from './support/synth';
import type { JsonObject as Json } from './support/json';

function policyStatements(json: Json, functionId: 'launch-gate' | 'drain-gate'): Json[] {
  const documents = Object.entries(json.data.aws_iam_policy_document as Record<string, Json>)
    .filter(([key]) => key.includes(`gates_${functionId}`) && !key.includes('assume') && !key.includes('trust'))
    .map(([, doc]) => doc);
  return documents.flatMap((doc) => doc.statement ?? []);
}

function statement(json: Json, functionId: 'launch-gate' | 'drain-gate', sid: string): Json {
  const found = policyStatements(json, functionId).find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid} for ${functionId}`);
  return found;
}

function rulePatterns(json: Json): Json[] {
  return resourcesOf(json, 'aws_cloudwatch_event_rule')
    .filter((r) => r.event_pattern)
    .map((r) => r.event_pattern);
}

describe('LifecycleGates in the default stack', () => {
  // GIVEN the default rollout with two node groups
  // (without the agent monitor and AMI watcher, tested in their own files)
  const { json } = synthRollout({
    nodeGroups: [{ name: 'x86' }, { name: 'arm', architecture: 'arm64' }],
    enableAgentMonitor: false,
    enableAmiWatcher: false,
  });

  test('two nodejs22.x functions with a short timeout, a DLQ and a log group with retention', () => {
    const functions = resourcesOf(json, 'aws_lambda_function');
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], timeout: 60 });
      expect(fn.dead_letter_config.target_arn).toMatch(/aws_sqs_queue\./);
      expect(fn.environment.variables.GATE_CONFIG).toMatch(/^\$\{jsonencode\(/);
    }
    expect(resourcesOf(json, 'aws_cloudwatch_log_group').map((g) => g.retention_in_days)).toEqual([30, 30]);
  });

  test('lifecycle rules name the module ASGs and hook names; ECS rules name the cluster ARN', () => {
    const patterns = rulePatterns(json).join('\n');
    expect(patterns).toContain('EC2 Instance-launch Lifecycle Action');
    expect(patterns).toContain('EC2 Instance-terminate Lifecycle Action');
    expect(patterns).toContain('ecs-ami-rollout-launch-gate');
    expect(patterns).toContain('ecs-ami-rollout-drain-gate');
    expect(patterns).toMatch(/aws_ecs_cluster\.[\w]+\.name\}-x86/);
    expect(patterns).toMatch(/aws_ecs_cluster\.[\w]+\.name\}-arm/);
    expect(patterns).toContain('ECS Container Instance State Change');
    expect(patterns).toMatch(/clusterArn\\?" = \[aws_ecs_cluster\.\w+\.arn\]/);
    // Only the transitions a gate waits for: registered with nothing placed yet; draining with no task left.
    expect(patterns).toContain(
      '"status" = ["ACTIVE", "REGISTRATION_FAILED"], "runningTasksCount" = [0], "pendingTasksCount" = [0]',
    );
    expect(patterns).toContain('"status" = ["DRAINING"], "runningTasksCount" = [0], "pendingTasksCount" = [0]');
    expect(patterns).not.toContain('ECS Task State Change');
  });

  test('every rule has a target with retry policy + DLQ and a permission scoped by source_arn', () => {
    const rules = resourcesOf(json, 'aws_cloudwatch_event_rule');
    // launch: lifecycle, instance-state, sweep; drain: lifecycle, instance-state, sweep
    expect(rules).toHaveLength(6);
    expect(rules.filter((r) => r.schedule_expression === 'rate(1 minute)')).toHaveLength(2);
    const targets = resourcesOf(json, 'aws_cloudwatch_event_target');
    expect(targets).toHaveLength(6);
    for (const target of targets) {
      expect(target.retry_policy).toBeDefined();
      expect(target.dead_letter_config.arn).toMatch(/aws_sqs_queue\./);
    }
    const permissions = resourcesOf(json, 'aws_lambda_permission');
    expect(permissions).toHaveLength(6);
    for (const permission of permissions) {
      expect(permission).toMatchObject({
        principal: 'events.amazonaws.com',
        source_arn: expect.stringMatching(/aws_cloudwatch_event_rule\..+\.arn/),
      });
    }
  });

  test('lifecycle actions are allowed on the module ASG ARNs only', () => {
    const s = statement(json, 'drain-gate', 'CompleteOwnLifecycleActions');
    expect(s.actions).toEqual(['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat']);
    expect(s.resources).toHaveLength(2);
    for (const arn of s.resources)
      expect(arn).toMatch(
        /^arn:\$\{data\.aws_partition.+\}:autoscaling:.+:autoScalingGroup:\*:autoScalingGroupName\/\$\{aws_ecs_cluster\..+\.name\}-(x86|arm)$/,
      );
  });

  test('ECS mutations carry the ecs:cluster condition or a cluster-scoped resource', () => {
    for (const sid of ['DrainClusterInstances', 'InspectAndStopClusterTasks', 'CheckClusterServices']) {
      const s = statement(json, 'drain-gate', sid);
      expect(s.condition).toEqual([
        { test: 'ArnEquals', variable: 'ecs:cluster', values: [expect.stringMatching(/aws_ecs_cluster\..+\.arn/)] },
      ]);
    }
    expect(statement(json, 'drain-gate', 'DrainClusterInstances').actions).toEqual([
      'ecs:UpdateContainerInstancesState',
      'ecs:ListTasks',
    ]);
    expect(statement(json, 'drain-gate', 'InspectAndStopClusterTasks').resources).toEqual([
      expect.stringMatching(/:task\/\$\{aws_ecs_cluster\..+\.name\}\/\*$/),
    ]);
    expect(statement(json, 'drain-gate', 'RecordDrainState').resources).toEqual([
      expect.stringMatching(/:container-instance\/\$\{aws_ecs_cluster\..+\.name\}\/\*$/),
    ]);
    expect(statement(json, 'launch-gate', 'ListClusterInstances').resources).toEqual([
      expect.stringMatching(/aws_ecs_cluster\..+\.arn/),
    ]);
  });

  test('only read-only actions are allowed on *, and the launch gate cannot drain or stop tasks', () => {
    for (const fn of ['launch-gate', 'drain-gate'] as const) {
      for (const s of policyStatements(json, fn).filter((st) => (st.resources ?? []).includes('*'))) {
        for (const action of s.actions) expect(action).toMatch(/:(Describe|List|Get)/);
      }
    }
    const launchActions = policyStatements(json, 'launch-gate').flatMap((s) => s.actions);
    expect(launchActions).not.toEqual(expect.arrayContaining(['ecs:StopTask']));
    expect(launchActions).not.toEqual(expect.arrayContaining(['ecs:UpdateContainerInstancesState']));
  });

  test('ASGs depend on both gate functions so the first instances are gated', () => {
    for (const asg of resourcesOf(json, 'aws_autoscaling_group')) {
      expect(asg.depends_on).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^aws_lambda_function\..*launch-gate/),
          expect.stringMatching(/^aws_lambda_function\..*drain-gate/),
        ]),
      );
    }
  });
});

describe('LifecycleGates options', () => {
  test('drain owner ecs: no drain gate and no terminate rule', () => {
    const { json } = synthRollout({ drainOwner: 'ecs', enableAgentMonitor: false, enableAmiWatcher: false });
    expect(resourcesOf(json, 'aws_lambda_function')).toHaveLength(1);
    expect(rulePatterns(json).join('\n')).not.toContain('EC2 Instance-terminate Lifecycle Action');
  });

  test('settings reach GATE_CONFIG', () => {
    const { synthesized } = synthRollout({
      gates: {
        joinDeadlineSeconds: 900,
        maxDrainSeconds: 7200,
        standaloneTaskGraceSeconds: 0,
        sweepSchedule: 'rate(2 minutes)',
      },
    });
    expect(synthesized).toContain('\\"joinDeadlineSeconds\\" = 900');
    expect(synthesized).toContain('\\"maxDrainSeconds\\" = 7200');
    expect(synthesized).toContain('\\"standaloneTaskGraceSeconds\\" = 0');
    expect(synthesized).toContain('rate(2 minutes)');
  });

  test.each<[string, Partial<EcsAmiRolloutProps>, RegExp]>([
    [
      'join deadline below 60 s',
      { gates: { joinDeadlineSeconds: 30 } },
      /LifecycleGates\.joinDeadlineSeconds: 30 is invalid — must be an integer between 60 and 7200/,
    ],
    [
      'negative standalone grace',
      { gates: { standaloneTaskGraceSeconds: -1 } },
      /LifecycleGates\.standaloneTaskGraceSeconds: -1 is invalid/,
    ],
    [
      'max drain above the global timeout',
      {
        gates: { maxDrainSeconds: 40000 },
        nodeGroups: [{ name: 'x86', terminateHook: { heartbeatTimeoutSeconds: 300 } }],
      },
      /LifecycleGates\.maxDrainSeconds: 40000 is invalid — exceeds the terminate hook's global timeout of node group x86 \(30000 s = min\(48 h, 100 × 300 s\)\)/,
    ],
    [
      'malformed sweep schedule',
      { gates: { sweepSchedule: 'every minute' } },
      /LifecycleGates\.sweepSchedule: "every minute" is invalid — must be an EventBridge schedule/,
    ],
    ['plural unit for 1', { gates: { sweepSchedule: 'rate(1 minutes)' } }, /must use the singular unit for 1/],
    [
      'sweep slower than half a heartbeat',
      {
        gates: { sweepSchedule: 'rate(3 minutes)' },
        nodeGroups: [{ name: 'x86', launchHook: { heartbeatTimeoutSeconds: 300 } }],
      },
      /runs every 180 s, more than half the shortest heartbeat timeout of node group x86 \(300 s\)/,
    ],
  ])('rejects %s', (_name, props, message) => {
    // GIVEN invalid gate settings WHEN built THEN the message names the setting, the value and the fix
    expect(() => synthRollout(props)).toThrow(message);
  });
});

describe('shared function options', () => {
  test('tracing, KMS keys and retention reach every function of the product', () => {
    // GIVEN the security team's settings WHEN the default stack is synthesized
    const { json } = synthRollout({
      functions: {
        tracingMode: 'Active',
        environmentKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/env',
        logGroupKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/logs',
        logRetentionDays: 90,
      },
    });
    // THEN gates, watcher and monitor all carry them
    const functions = resourcesOf(json, 'aws_lambda_function');
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn.tracing_config).toEqual({ mode: 'Active' });
      expect(fn.kms_key_arn).toBe('arn:aws:kms:eu-west-1:123456789012:key/env');
    }
    for (const group of resourcesOf(json, 'aws_cloudwatch_log_group')) {
      expect(group).toMatchObject({ retention_in_days: 90, kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/logs' });
    }
  });
});
