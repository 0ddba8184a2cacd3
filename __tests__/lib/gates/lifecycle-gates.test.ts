import { Testing } from 'cdktf';
import { EcsAmiRollout, EcsAmiRolloutProps } from '../../../lib/ecs-ami-rollout';
import { GATE_EVENT_BUFFER } from '../../../lib/gates/gate-event-buffer';
import { matchesEventPattern } from '../../../sim/aws/event-pattern';
import { BASE_PROPS, newStack, resourcesOf, synthRollout } from '../../support/synth';
import { parseJsonencode, synthesizedRules } from '../../support/synth-rules';

import type { JsonObject as Json } from '../../support/json';

/** GATE_CONFIG as the gate functions receive it (Terraform references kept as `${reference}`). */
function gateConfig(json: Json): Json {
  const fn = resourcesOf(json, 'aws_lambda_function').find((f) => f.environment.variables.GATE_CONFIG)!;
  return parseJsonencode(fn.environment.variables.GATE_CONFIG) as Json;
}

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

  const rules = synthesizedRules(json);
  const patternOf = (fn: string, detailType: string) =>
    rules.find((r) => r.functions.includes(fn) && JSON.stringify(r.pattern ?? {}).includes(detailType))?.pattern;

  test("lifecycle rules name the node groups' ASGs and the hook; ECS rules name the cluster and the statuses", () => {
    expect(patternOf('launch-gate', 'EC2 Instance-launch Lifecycle Action')).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance-launch Lifecycle Action'],
      detail: {
        AutoScalingGroupName: [
          expect.stringMatching(/aws_ecs_cluster\.\w+\.name\}-x86$/),
          expect.stringMatching(/aws_ecs_cluster\.\w+\.name\}-arm$/),
        ],
        LifecycleHookName: ['ecs-ami-rollout-launch-gate'],
      },
    });
    expect(patternOf('drain-gate', 'EC2 Instance-terminate Lifecycle Action')).toMatchObject({
      detail: { LifecycleHookName: ['ecs-ami-rollout-drain-gate'] },
    });
    // Only fields the documented container-instance event carries (no task counts): the handlers filter the rest.
    const cluster = [expect.stringMatching(/aws_ecs_cluster\.\w+\.arn/)];
    expect(patternOf('launch-gate', 'ECS Container Instance State Change')).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Container Instance State Change'],
      detail: { clusterArn: cluster, status: ['ACTIVE', 'REGISTRATION_FAILED'] },
    });
    expect(patternOf('drain-gate', 'ECS Container Instance State Change')).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Container Instance State Change'],
      detail: { clusterArn: cluster, status: ['DRAINING'] },
    });
    expect(rules.some((r) => JSON.stringify(r.pattern ?? {}).includes('ECS Task State Change'))).toBe(false);
  });

  test("every rule feeds its gate's SQS buffer, with a retry policy and a DLQ", () => {
    const eventRules = resourcesOf(json, 'aws_cloudwatch_event_rule');
    // launch: lifecycle, instance-state, sweep; drain: lifecycle, instance-state, sweep
    expect(eventRules).toHaveLength(6);
    expect(eventRules.filter((r) => r.schedule_expression === 'rate(1 minute)')).toHaveLength(2);
    expect(rules.map((r) => r.functions)).toEqual(expect.arrayContaining([['launch-gate'], ['drain-gate']]));
    for (const rule of rules) expect(rule.functions).toHaveLength(1);
    for (const target of resourcesOf(json, 'aws_cloudwatch_event_target')) {
      expect(target.arn).toMatch(/aws_sqs_queue\..*EventsBuffer.*\.arn/);
      expect(target.retry_policy).toBeDefined();
      expect(target.dead_letter_config.arn).toMatch(/aws_sqs_queue\..*EventsDeadLetterQueue.*\.arn/);
    }
    // No rule invokes a function directly: no resource-based permission for EventBridge is needed.
    expect(resourcesOf(json, 'aws_lambda_permission')).toHaveLength(0);
  });

  test('each gate reads its buffer in batches, with a bounded concurrency and partial batch responses', () => {
    const mappings = resourcesOf(json, 'aws_lambda_event_source_mapping');
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      expect(mapping).toMatchObject({
        batch_size: GATE_EVENT_BUFFER.batchSize,
        maximum_batching_window_in_seconds: GATE_EVENT_BUFFER.maximumBatchingWindowSeconds,
        function_response_types: ['ReportBatchItemFailures'],
        scaling_config: [{ maximum_concurrency: GATE_EVENT_BUFFER.maximumConcurrency }],
      });
    }
    const buffers = resourcesOf(json, 'aws_sqs_queue').filter((q) => String(q.name).endsWith('-events'));
    expect(buffers).toHaveLength(2);
    for (const queue of buffers) {
      // AWS: the visibility timeout at least 6 × the function timeout (60 s).
      expect(queue).toMatchObject({ visibility_timeout_seconds: 360, sqs_managed_sse_enabled: true });
      expect(parseJsonencode(queue.redrive_policy)).toEqual({
        deadLetterTargetArn: expect.stringMatching(/^\$\{aws_sqs_queue\.\S*EventsDeadLetterQueue\S*\.arn\}$/),
        maxReceiveCount: GATE_EVENT_BUFFER.maxReceiveCount,
      });
      expect(GATE_EVENT_BUFFER.maxReceiveCount).toBe(5);
    }
    for (const fn of ['launch-gate', 'drain-gate'] as const) {
      expect(statement(json, fn, 'ReceiveOwnEvents').actions).toEqual([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ]);
    }
  });

  test("only the gate's own rules may send to its buffer", () => {
    const documents = Object.entries(json.data?.aws_iam_policy_document as Record<string, Json>).filter(([key]) =>
      key.includes('EventsBuffer'),
    );
    expect(documents).toHaveLength(2);
    for (const [, doc] of documents) {
      expect(doc.statement).toEqual([
        expect.objectContaining({
          actions: ['sqs:SendMessage'],
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          condition: [expect.objectContaining({ variable: 'aws:SourceArn', values: expect.any(Array) })],
        }),
      ]);
      expect(doc.statement[0].condition[0].values).toHaveLength(3);
    }
  });

  test('the documented container-instance event passes the synthesized ECS rules', () => {
    // "Amazon ECS container instance state change events" sample, trimmed to the fields a pattern can name.
    const event = {
      source: 'aws.ecs',
      'detail-type': 'ECS Container Instance State Change',
      detail: {
        clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/default',
        status: 'ACTIVE',
        agentConnected: true,
      },
    };
    const launchRule = synthesizedRules(json, (t) =>
      t.replace(/\$\{aws_ecs_cluster\.\w+\.arn\}/g, 'arn:aws:ecs:us-east-1:111122223333:cluster/default'),
    ).find((r) => r.functions.includes('launch-gate') && JSON.stringify(r.pattern ?? {}).includes('ECS Container'));
    expect(matchesEventPattern(launchRule!.pattern!, event)).toBe(true);
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

  test('only read-only actions are allowed on *; the launch gate can drain (before ABANDON), never stop tasks', () => {
    for (const fn of ['launch-gate', 'drain-gate'] as const) {
      for (const s of policyStatements(json, fn).filter((st) => (st.resources ?? []).includes('*'))) {
        for (const action of s.actions) expect(action).toMatch(/:(Describe|List|Get)/);
      }
    }
    const launchActions = policyStatements(json, 'launch-gate').flatMap((s) => s.actions);
    expect(launchActions).not.toEqual(expect.arrayContaining(['ecs:StopTask']));
    expect(statement(json, 'launch-gate', 'DrainBeforeAbandon')).toMatchObject({
      actions: ['ecs:UpdateContainerInstancesState'],
      resources: [expect.stringMatching(/container-instance/)],
      condition: [expect.objectContaining({ variable: 'ecs:cluster' })],
    });
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
    const patterns = synthesizedRules(json).map((r) => JSON.stringify(r.pattern ?? {}));
    expect(patterns.join('\n')).not.toContain('EC2 Instance-terminate Lifecycle Action');
  });

  test('no reserved concurrency by default; functions.reservedConcurrency reserves it for every function', () => {
    const unset = synthRollout({}).json;
    for (const fn of resourcesOf(unset, 'aws_lambda_function')) expect(fn.reserved_concurrent_executions).toBe(-1);
    const set = synthRollout({ functions: { reservedConcurrency: 3 } }).json;
    const functions = resourcesOf(set, 'aws_lambda_function');
    expect(functions).toHaveLength(4);
    for (const fn of functions) expect(fn.reserved_concurrent_executions).toBe(3);
  });

  test('forceDrainAfterSeconds is unset by default and reaches GATE_CONFIG when set', () => {
    expect(gateConfig(synthRollout({}).json)).not.toHaveProperty('forceDrainAfterSeconds');
    const set = synthRollout({ gates: { maxDrainSeconds: 1800, forceDrainAfterSeconds: 7200 } }).json;
    expect(gateConfig(set)).toMatchObject({ maxDrainSeconds: 1800, forceDrainAfterSeconds: 7200 });
  });

  test('a warm pool on a gated group is a validation error', () => {
    const stack = newStack();
    const rollout = new EcsAmiRollout(stack, 'rollout', { ...BASE_PROPS, enableAgentMonitor: false });
    rollout.nodeGroups[0].autoScalingGroup.putWarmPool({ poolState: 'Stopped', minSize: 1 });
    expect(() => Testing.synth(stack, true)).toThrow(/warm_pool, which the lifecycle gates do not support/);
  });

  test('settings reach GATE_CONFIG', () => {
    const { json } = synthRollout({
      gates: {
        joinDeadlineSeconds: 900,
        maxDrainSeconds: 7200,
        standaloneTaskGraceSeconds: 0,
        sweepSchedule: 'rate(2 minutes)',
      },
    });
    expect(gateConfig(json)).toMatchObject({
      joinDeadlineSeconds: 900,
      maxDrainSeconds: 7200,
      standaloneTaskGraceSeconds: 0,
    });
    // both gates' sweep rules (the watcher and monitor keep their own schedules)
    const schedules = resourcesOf(json, 'aws_cloudwatch_event_rule').map((rule) => rule.schedule_expression);
    expect(schedules.filter((schedule) => schedule === 'rate(2 minutes)')).toHaveLength(2);
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
      'forcing before the report',
      { gates: { maxDrainSeconds: 3600, forceDrainAfterSeconds: 600 } },
      new RegExp(
        'LifecycleGates\\.forceDrainAfterSeconds: 600 is invalid — is below the maximum drain time ' +
          '\\(maxDrainSeconds 3600\\)',
      ),
    ],
    [
      'forcing after the global timeout',
      {
        gates: { forceDrainAfterSeconds: 40000 },
        nodeGroups: [{ name: 'x86', terminateHook: { heartbeatTimeoutSeconds: 300 } }],
      },
      /LifecycleGates\.forceDrainAfterSeconds: 40000 is invalid — exceeds the terminate hook's global timeout/,
    ],
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
