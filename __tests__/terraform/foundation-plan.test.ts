/**
 * Real Terraform (init → validate → plan → show -json, offline) over the stacks users get: every stack the embedded
 * example synthesizes, and a multi-node-group configuration (x86 on-demand + arm64 spot on an adopted cluster).
 */
import { Testing } from 'cdktf';
import { buildApp, DEFAULT_CONFIG_FILE } from '../../main';
import { RolloutStack } from '../../lib/config/rollout-stack';
import { PlanResult, planCdktfStack, TERRAFORM_TEST_TIMEOUT_MS } from '../support/terraform-harness';
import {
  STUB_AL2023_ARM64_AMI_ID,
  STUB_AL2023_X86_AMI_ID,
  STUB_EXISTING_CLUSTER_NAME,
} from '../support/aws-stub-server';

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

import type { JsonObject as Json } from '../support/json';

let examplePlanning: Promise<{ stack: RolloutStack; result: PlanResult }[]> | undefined;

/** Every stack the embedded example config synthesizes, initialised, validated and planned offline — once per run. */
function examplePlans(): Promise<{ stack: RolloutStack; result: PlanResult }[]> {
  examplePlanning ??= (async () => {
    const planned = [];
    for (const stack of buildApp(Testing.app(), DEFAULT_CONFIG_FILE))
      planned.push({ stack, result: await planCdktfStack(stack) });
    return planned;
  })();
  return examplePlanning;
}

describe('embedded example, planned by real Terraform', () => {
  let results: { stack: RolloutStack; result: PlanResult }[];

  beforeAll(async () => {
    // GIVEN every stack the embedded example config synthesizes WHEN each is planned
    results = await examplePlans();
  });

  test('validate passes and the plan only creates', () => {
    for (const { result } of results) {
      expect(result.validateOutput).toMatch(/Success! The configuration is valid/);
      const actions = new Set(
        result
          .resourceChanges()
          .filter((rc) => rc.mode === 'managed')
          .flatMap((rc) => rc.change.actions),
      );
      expect([...actions]).toEqual(['create']);
    }
  });

  test('launch template: IMDSv2 required, encrypted gp3 root, public IP off, AMI via the approved parameter', () => {
    for (const { result } of results) {
      const [lt] = result.resourcesOfType<Json>('aws_launch_template');
      expect(lt.metadata_options).toEqual([
        expect.objectContaining({ http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 }),
      ]);
      expect(lt.block_device_mappings[0].ebs).toEqual([
        expect.objectContaining({ encrypted: 'true', volume_type: 'gp3', volume_size: 30 }),
      ]);
      expect(lt.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: 'false' })]);
      expect(lt.image_id).toBe('resolve:ssm:/ecs-ami-rollout/example-web/x86/approved-ami');
      // The approved parameter starts with the public parameter's value, read at plan time from the (stubbed) SSM API.
      const approved = result.resourcesOfType<Json>('aws_ssm_parameter').find((p) => p.name.endsWith('/approved-ami'));
      expect(approved).toMatchObject({ value: STUB_AL2023_X86_AMI_ID, data_type: 'aws:ec2:image' });
    }
  });

  test('ASG: launch template latest_version, Rolling refresh with Refresh for protected instances, both hooks', () => {
    for (const { result } of results) {
      const [asg] = result.resourcesOfType<Json>('aws_autoscaling_group');
      expect(asg.name).toBe('example-web-x86');
      // latest_version is known only after apply: Terraform shows it as unknown, never as "$Latest".
      const change = result.resourceChanges('aws_autoscaling_group')[0].change;
      expect(change.after_unknown.launch_template).toEqual([expect.objectContaining({ version: true })]);
      expect(JSON.stringify(asg)).not.toMatch(/\$Latest|\$Default/);
      expect(asg.instance_refresh).toEqual([
        expect.objectContaining({
          strategy: 'Rolling',
          preferences: [
            expect.objectContaining({
              min_healthy_percentage: 100,
              max_healthy_percentage: 200,
              scale_in_protected_instances: 'Refresh',
              standby_instances: 'Terminate',
              skip_matching: false,
            }),
          ],
        }),
      ]);
      const hooks = asg.initial_lifecycle_hook.map((h: Json) => [h.name, h.lifecycle_transition, h.default_result]);
      expect(hooks).toEqual(
        expect.arrayContaining([
          ['ecs-ami-rollout-launch-gate', 'autoscaling:EC2_INSTANCE_LAUNCHING', 'ABANDON'],
          ['ecs-ami-rollout-drain-gate', 'autoscaling:EC2_INSTANCE_TERMINATING', 'CONTINUE'],
        ]),
      );
    }
  });

  test('capacity provider: managed draining DISABLED (drain owner lambda), attached to the cluster', () => {
    for (const { result } of results) {
      const [cp] = result.resourcesOfType<Json>('aws_ecs_capacity_provider');
      expect(cp.auto_scaling_group_provider[0]).toMatchObject({
        managed_draining: 'DISABLED',
        managed_termination_protection: 'ENABLED',
      });
      const [attachment] = result.resourcesOfType<Json>('aws_ecs_cluster_capacity_providers');
      expect(attachment).toMatchObject({ cluster_name: 'example-web', capacity_providers: ['cp-example-web-x86'] });
    }
  });
});

describe('gates, monitor and notifications in the planned example', () => {
  let result: PlanResult;
  beforeAll(async () => {
    // GIVEN the embedded example's plan (shared with the suite above: one plan per stack)
    result = (await examplePlans())[0].result;
  });

  test('gate, watcher and monitor functions run nodejs22.x with a DLQ and a log group with retention', () => {
    const functions = result.resourcesOfType<Json>('aws_lambda_function');
    expect(functions.map((f) => f.runtime)).toEqual(['nodejs22.x', 'nodejs22.x', 'nodejs22.x', 'nodejs22.x']);
    for (const fn of functions) expect(fn.dead_letter_config).toHaveLength(1);
    const groups = result.resourcesOfType<Json>('aws_cloudwatch_log_group');
    expect(groups.map((g) => g.retention_in_days)).toEqual([30, 30, 30, 30]);
    expect(result.resourcesOfType<Json>('aws_sns_topic')).toEqual([
      expect.objectContaining({ kms_master_key_id: 'alias/aws/sns' }),
    ]);
  });

  test('rules for both lifecycle transitions, container-instance changes, sweep: target, scoped permission', () => {
    const rules = result.resourcesOfType<Json>('aws_cloudwatch_event_rule');
    const patterns = rules.map((r) => r.event_pattern ?? '').join('\n');
    for (const detailType of ['EC2 Instance-launch Lifecycle Action', 'EC2 Instance-terminate Lifecycle Action']) {
      expect(patterns).toContain(detailType);
    }
    // Terraform resolved the ASG names into the patterns at plan time.
    const parsed = rules.filter((r) => r.event_pattern).map((r) => JSON.parse(r.event_pattern as string) as Json);
    expect(parsed.filter((p) => p.source[0] === 'aws.autoscaling').map((p) => p.detail.AutoScalingGroupName)).toEqual(
      Array(3).fill(['example-web-x86']),
    );
    expect(patterns).toContain('EC2 Auto Scaling Instance Refresh');
    // The two ECS container-instance rules filter on the new cluster's ARN, known after apply.
    const unknownPatterns = result
      .resourceChanges('aws_cloudwatch_event_rule')
      .filter((rc) => rc.change.after_unknown.event_pattern === true);
    expect(unknownPatterns).toHaveLength(2);
    expect(rules.filter((r) => r.schedule_expression === 'rate(1 minute)')).toHaveLength(2);
    expect(rules.filter((r) => r.schedule_expression === 'rate(15 minutes)')).toHaveLength(1);
    expect(rules.filter((r) => r.schedule_expression === 'rate(1 hour)')).toHaveLength(1);
    // gates: 2 lifecycle + 2 container-instance + 2 sweeps; watcher: schedule + refresh events + approved-AMI
    // parameter changes; monitor: schedule
    expect(parsed.filter((p) => p.source[0] === 'aws.ssm')).toHaveLength(1);
    expect(rules).toHaveLength(10);
    expect(result.resourcesOfType('aws_cloudwatch_event_target')).toHaveLength(rules.length);
    // The six gate rules feed the gates' SQS buffers (queue policy, no Lambda permission); the other four invoke.
    expect(result.resourcesOfType('aws_lambda_event_source_mapping')).toHaveLength(2);
    const permissions = result.resourceChanges('aws_lambda_permission');
    expect(permissions).toHaveLength(rules.length - 6);
    // source_arn is each rule's ARN, known after apply: the plan marks it unknown rather than leaving it empty.
    for (const permission of permissions) expect(permission.change.after_unknown.source_arn).toBe(true);
  });

  test('no IAM statement allows a mutating action on * without a condition', () => {
    // Policy documents whose inputs are known after apply are read during apply: assert on their planned statements.
    const documents = result.dataSourcesOfType<Json>('aws_iam_policy_document');
    const statements: Json[] = documents.flatMap((d) => d.statement ?? []);
    expect(statements.length).toBeGreaterThan(20);
    const onStar = statements.filter((s) => (s.resources ?? []).includes('*') && (s.condition ?? []).length === 0);
    expect(onStar.length).toBeGreaterThan(0);
    for (const statement of onStar) {
      for (const action of statement.actions) expect(action).toMatch(/^[a-z0-9-]+:(Describe|List|Get)/);
    }
  });
});

describe('multi-node-group configuration on an adopted cluster, planned by real Terraform', () => {
  let result: PlanResult;

  beforeAll(async () => {
    // GIVEN x86 on-demand (auto AMI mode) + arm64 spot (gitops AMI mode) on an existing cluster
    const app = Testing.app();
    const stack = new RolloutStack(app, {
      name: 'multi',
      region: 'us-east-1',
      clusterName: STUB_EXISTING_CLUSTER_NAME,
      adoptExistingCluster: true,
      subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      securityGroupIds: ['sg-0a1b2c3d4e5f60001'],
      nodeGroups: [
        { name: 'x86', capacityProvider: { base: 2 } },
        {
          name: 'arm64-spot',
          architecture: 'arm64',
          amiSource: { type: 'ecs-optimized' },
          instanceTypes: ['m7g.large', 'c7g.xlarge', 'r7g.large'],
          mixedInstances: { onDemandPercentageAboveBaseCapacity: 0 },
          instanceRefresh: { checkpointPercentages: [25, 100], checkpointDelaySeconds: 900 },
        },
      ],
    });
    // WHEN planned offline (validate skipped: the first suite covers it)
    result = await planCdktfStack(stack, { validate: false });
  });

  test('two ASGs, the spot one with a mixed instances policy on latest_version and capacity rebalance', () => {
    const asgs = result.resourcesOfType<Json>('aws_autoscaling_group');
    expect(asgs.map((a) => a.name).sort()).toEqual(['existing-cluster-arm64-spot', 'existing-cluster-x86']);
    const spot = asgs.find((a) => a.name.endsWith('arm64-spot'))!;
    expect(spot.capacity_rebalance).toBe(true);
    const policy = spot.mixed_instances_policy[0];
    expect(policy.instances_distribution[0]).toMatchObject({
      on_demand_percentage_above_base_capacity: 0,
      spot_allocation_strategy: 'price-capacity-optimized',
    });
    expect(policy.launch_template[0].override.map((o: Json) => o.instance_type)).toEqual([
      'm7g.large',
      'c7g.xlarge',
      'r7g.large',
    ]);
    expect(spot.instance_refresh[0].preferences[0]).toMatchObject({
      checkpoint_percentages: [25, 100],
      checkpoint_delay: '900',
    });
  });

  test('the adopted cluster is read, not created, and the arm64 AMI comes from the arm64 parameter', () => {
    expect(result.resourcesOfType('aws_ecs_cluster')).toEqual([]);
    expect(result.dataSourcesOfType<Json>('aws_ecs_cluster')).toEqual([
      expect.objectContaining({ cluster_name: STUB_EXISTING_CLUSTER_NAME }),
    ]);
    const values = result.resourcesOfType<Json>('aws_ssm_parameter').map((p) => [p.name, p.value]);
    expect(values).toEqual(
      expect.arrayContaining([['/ecs-ami-rollout/existing-cluster/arm64-spot/approved-ami', STUB_AL2023_ARM64_AMI_ID]]),
    );
  });

  test('both capacity providers join the cluster; the default strategy keeps to x86, with its base', () => {
    const [attachment] = result.resourcesOfType<Json>('aws_ecs_cluster_capacity_providers');
    expect(attachment.capacity_providers.sort()).toEqual(['cp-existing-cluster-arm64-spot', 'cp-existing-cluster-x86']);
    // a service without its own strategy never lands an x86 image on the Graviton group
    expect(attachment.default_capacity_provider_strategy).toEqual([
      { capacity_provider: 'cp-existing-cluster-x86', base: 2, weight: 1 },
    ]);
  });
});
