/**
 * The committed terraform-module/, used the way users use it: both examples (plain HCL, `provider "aws"` in the root,
 * `source = "../../../terraform-module"`) initialised, validated and planned offline with real Terraform, and a caller
 * with invalid node group settings rejected with the module's messages.
 */
import * as path from 'node:path';
import { STUB_AL2023_ARM64_AMI_ID } from '../support/aws-stub-server';
import {
  expectTerraformFailure,
  PlanResult,
  planStack,
  TERRAFORM_TEST_TIMEOUT_MS,
  TerraformCommandError,
} from '../support/terraform-harness';
import { NODE_GROUP_RULES } from '../../lib/node-group/node-group-rules';
import { ruleValidation } from '../../scripts/module/node-group-rules';

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS * 2);

import type { JsonObject as Json } from '../support/json';
const ROOT = path.join(__dirname, '..', '..');
const example = (name: string) => path.join(ROOT, 'examples', 'terraform-module', name);

/** Timings of each run, printed once at the end (the lead tracks the cost of Terraform tests). */
const timings: Record<string, unknown> = {};
afterAll(() => console.log(`module plan timings (ms): ${JSON.stringify(timings)}`));

describe('examples/terraform-module/basic', () => {
  let result: PlanResult;

  beforeAll(async () => {
    // GIVEN the basic example: one cluster, one node group, defaults everywhere else
    // WHEN it is initialised, validated and planned against the committed module
    result = await planStack(example('basic'));
    timings.basic = result.timings;
  });

  test('validates, and the plan only creates', () => {
    expect(result.validateOutput).toMatch(/Success! The configuration is valid/);
    const actions = new Set(
      result
        .resourceChanges()
        .filter((rc) => rc.mode === 'managed')
        .flatMap((rc) => rc.change.actions),
    );
    expect([...actions]).toEqual(['create']);
  });

  test(
    'one node group: launch template, ASG and capacity provider keyed by its name, AMI through the approved ' +
      'parameter',
    () => {
      const addresses = result.resourceChanges().map((rc) => rc.address);
      for (const type of ['aws_launch_template', 'aws_autoscaling_group', 'aws_ecs_capacity_provider']) {
        expect(addresses.filter((a) => a.includes(`.${type}.`))).toEqual([
          `module.ecs_fleet.${type}.node_group["x86"]`,
        ]);
      }
      const lt = result.resource<Json>('module.ecs_fleet.aws_launch_template.node_group["x86"]');
      expect(lt.image_id).toBe('resolve:ssm:/ecs-ami-rollout/web/x86/approved-ami');
      expect(lt.metadata_options).toEqual([
        expect.objectContaining({ http_tokens: 'required', http_put_response_hop_limit: 1 }),
      ]);
      const userData = Buffer.from(lt.user_data, 'base64').toString('utf8');
      expect(userData).toContain('ECS_CLUSTER=web\n');
      expect(userData).toContain('ECS_CONTAINER_STOP_TIMEOUT=30s');
      const asg = result.resource<Json>('module.ecs_fleet.aws_autoscaling_group.node_group["x86"]');
      expect(asg).toMatchObject({
        name: 'web-x86',
        min_size: 1,
        max_size: 6,
        vpc_zone_identifier: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      });
      expect(asg.initial_lifecycle_hook.map((h: Json) => h.name).sort()).toEqual([
        'ecs-ami-rollout-drain-gate',
        'ecs-ami-rollout-launch-gate',
      ]);
      expect(asg.tag).toEqual(expect.arrayContaining([{ key: 'team', value: 'platform', propagate_at_launch: false }]));
    },
  );

  test("the gates are named after the cluster, ship the module's archives and match the node group's ASG", () => {
    const functions = result.resourcesOfType<Json>('aws_lambda_function');
    expect(functions.map((g) => g.function_name).sort()).toEqual([
      'web-agent-monitor',
      'web-ami-watcher',
      'web-drain-gate',
      'web-launch-gate',
    ]);
    const launch = result.resource<Json>('module.ecs_fleet.aws_lambda_function.launch_gate');
    expect(launch.filename).toMatch(/terraform-module\/assets\/launch-gate\.zip$/);
    // GATE_CONFIG holds the cluster ARN, known only after apply; its shape is checked in module-config.test.ts.
    const change = result.resourceChanges('aws_lambda_function').find((rc) => rc.address.endsWith('launch_gate'))!;
    expect(change.change.after_unknown.environment).toBeTruthy();
    const rules = result.resourcesOfType<Json>('aws_cloudwatch_event_rule');
    const launchRule = rules.find((r) => r.name === 'web-launch-gate-launch-lifecycle')!;
    expect(JSON.parse(launchRule.event_pattern).detail.AutoScalingGroupName).toEqual(['web-x86']);
    // drain_owner "lambda" (default): the drain gate is deployed, with its three rules.
    const drainRules = rules.filter((r) => r.name.startsWith('web-drain-gate-'));
    expect(drainRules.map((r) => r.name).sort()).toEqual([
      'web-drain-gate-instance-state',
      'web-drain-gate-sweep',
      'web-drain-gate-terminate-lifecycle',
    ]);
  });

  test('the AMI watcher, the agent monitor and an encrypted SNS topic are planned, named after the cluster', () => {
    // THEN the watcher runs on its schedule and hears the node group's refresh events
    const watcher = result.resource<Json>('module.ecs_fleet.aws_lambda_function.ami_watcher[0]');
    expect(watcher.filename).toMatch(/terraform-module\/assets\/ami-watcher\.zip$/);
    const rules = result.resourcesOfType<Json>('aws_cloudwatch_event_rule');
    // (deployed = on: a disabled watcher or monitor is not deployed at all, see the toggles)
    expect(rules.find((r) => r.name === 'web-ami-watcher-schedule')).toMatchObject({
      schedule_expression: 'rate(1 hour)',
    });
    const refresh = rules.find((r) => r.name === 'web-ami-watcher-refresh-events')!;
    expect(JSON.parse(refresh.event_pattern).detail.AutoScalingGroupName).toEqual(['web-x86']);
    expect(rules.find((r) => r.name === 'web-agent-monitor-schedule')).toMatchObject({
      schedule_expression: 'rate(15 minutes)',
    });
    expect(result.resource<Json>('module.ecs_fleet.aws_lambda_function.agent_monitor[0]').function_name).toBe(
      'web-agent-monitor',
    );
    // one state parameter per node group (for_each), plus the cluster's pause / deny-list / monitor state
    const parameters = result
      .resourcesOfType<Json>('aws_ssm_parameter')
      .map((p) => p.name)
      .sort();
    expect(parameters).toEqual(
      expect.arrayContaining([
        '/ecs-ami-rollout/web/x86/watcher-state',
        '/ecs-ami-rollout/web/paused',
        '/ecs-ami-rollout/web/denied-amis',
        '/ecs-ami-rollout/web/agent-monitor-state',
      ]),
    );
    const topics = result.resourcesOfType<Json>('aws_sns_topic');
    expect(topics).toEqual([
      expect.objectContaining({ name: 'web-ecs-ami-rollout', kms_master_key_id: 'alias/aws/sns' }),
    ]);
    expect(result.outputs()).toMatchObject({ pause_parameter_name: '/ecs-ami-rollout/web/paused' });
  });

  test('outputs are maps keyed by node group', () => {
    expect(result.outputs()).toMatchObject({
      approved_ami_parameter_names: { x86: '/ecs-ami-rollout/web/x86/approved-ami' },
    });
  });
});

describe('examples/terraform-module/multi-cluster', () => {
  let result: PlanResult;

  beforeAll(async () => {
    // GIVEN two clusters from one module block (for_each), each with x86 (auto) and arm64 spot (gitops) node groups
    // WHEN planned (validate skipped: the basic suite covers it, and plan validates too)
    result = await planStack(example('multi-cluster'), { validate: false });
    timings.multiCluster = result.timings;
  });

  test('for_each over the module works (no provider block inside it): 2 clusters × 2 node groups', () => {
    const asgs = result
      .resourceChanges('aws_autoscaling_group')
      .map((rc) => rc.address)
      .sort();
    expect(asgs).toEqual([
      'module.ecs_fleet["a"].aws_autoscaling_group.node_group["arm64-spot"]',
      'module.ecs_fleet["a"].aws_autoscaling_group.node_group["x86"]',
      'module.ecs_fleet["b"].aws_autoscaling_group.node_group["arm64-spot"]',
      'module.ecs_fleet["b"].aws_autoscaling_group.node_group["x86"]',
    ]);
    expect(
      result
        .resourcesOfType<Json>('aws_ecs_cluster')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['fleet-a', 'fleet-b']);
    // Per-instance names: nothing collides in one account and region.
    const names = result.resourcesOfType<Json>('aws_lambda_function').map((f) => f.function_name);
    expect(new Set(names).size).toBe(8);
  });

  test('gitops node group: concrete AMI in the launch template, auto rollback on, no AMI parameters', () => {
    const lt = result.resource<Json>('module.ecs_fleet["a"].aws_launch_template.node_group["arm64-spot"]');
    expect(lt.image_id).toBe(STUB_AL2023_ARM64_AMI_ID);
    const asg = result.resource<Json>('module.ecs_fleet["a"].aws_autoscaling_group.node_group["arm64-spot"]');
    expect(asg.instance_refresh[0].preferences[0]).toMatchObject({
      auto_rollback: true,
      checkpoint_percentages: [25, 100],
      checkpoint_delay: '900',
    });
    const parameters = result.resourceChanges('aws_ssm_parameter').map((rc) => rc.address);
    const amiParameters = parameters.filter((a) => /\.(approved|previous)_ami\[/.test(a));
    expect(amiParameters.filter((a) => a.includes('arm64-spot'))).toEqual([]);
    expect(amiParameters.filter((a) => a.includes('["x86"]'))).toHaveLength(4);
  });

  test('auto node group: resolve:ssm, no auto rollback; spot group: mixed instances and capacity rebalance', () => {
    const lt = result.resource<Json>('module.ecs_fleet["b"].aws_launch_template.node_group["x86"]');
    expect(lt.image_id).toBe('resolve:ssm:/ecs-ami-rollout/fleet-b/x86/approved-ami');
    const x86 = result.resource<Json>('module.ecs_fleet["b"].aws_autoscaling_group.node_group["x86"]');
    expect(x86.instance_refresh[0].preferences[0]).toMatchObject({
      auto_rollback: false,
      checkpoint_percentages: null,
    });
    expect(x86.mixed_instances_policy ?? []).toEqual([]);
    const spot = result.resource<Json>('module.ecs_fleet["b"].aws_autoscaling_group.node_group["arm64-spot"]');
    expect(spot.capacity_rebalance).toBe(true);
    expect(spot.launch_template ?? []).toEqual([]);
    const policy = spot.mixed_instances_policy[0];
    expect(policy.launch_template[0].override.map((o: Json) => o.instance_type)).toEqual([
      'm7g.large',
      'c7g.xlarge',
      'r7g.large',
    ]);
  });

  test('one AMI watcher, agent monitor and SNS topic per cluster; a watcher state parameter per node group', () => {
    for (const type of ['aws_lambda_function', 'aws_sns_topic']) {
      const addresses = result.resourceChanges(type).map((rc) => rc.address);
      for (const cluster of ['a', 'b'])
        expect(addresses.filter((a) => a.startsWith(`module.ecs_fleet["${cluster}"].`)).length).toBeGreaterThan(0);
    }
    const functions = result
      .resourcesOfType<Json>('aws_lambda_function')
      .map((f) => f.function_name)
      .sort();
    expect(functions.filter((n) => /-(ami-watcher|agent-monitor)$/.test(n))).toEqual([
      'fleet-a-agent-monitor',
      'fleet-a-ami-watcher',
      'fleet-b-agent-monitor',
      'fleet-b-ami-watcher',
    ]);
    expect(
      result
        .resourcesOfType<Json>('aws_sns_topic')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['fleet-a-ecs-ami-rollout', 'fleet-b-ecs-ami-rollout']);
    const states = result
      .resourceChanges('aws_ssm_parameter')
      .map((rc) => rc.address)
      .filter((a) => a.includes('.watcher_state['))
      .sort();
    expect(states).toEqual([
      'module.ecs_fleet["a"].aws_ssm_parameter.watcher_state["arm64-spot"]',
      'module.ecs_fleet["a"].aws_ssm_parameter.watcher_state["x86"]',
      'module.ecs_fleet["b"].aws_ssm_parameter.watcher_state["arm64-spot"]',
      'module.ecs_fleet["b"].aws_ssm_parameter.watcher_state["x86"]',
    ]);
  });

  test('each cluster attaches both capacity providers; the default strategy keeps to x86, with its base', () => {
    const attachments = result.resourcesOfType<Json>('aws_ecs_cluster_capacity_providers');
    expect(attachments).toHaveLength(2);
    const a = attachments.find((x) => x.cluster_name === 'fleet-a')!;
    expect(a.capacity_providers.sort()).toEqual(['cp-fleet-a-arm64-spot', 'cp-fleet-a-x86']);
    // A service without its own strategy never lands an x86 image on the Graviton group.
    expect(a.default_capacity_provider_strategy).toEqual([{ capacity_provider: 'cp-fleet-a-x86', base: 1, weight: 1 }]);
  });
});

describe('invalid node group settings', () => {
  let failure: TerraformCommandError;

  beforeAll(async () => {
    // GIVEN a caller with an upper-case node group name, max healthy 250, descending checkpoints without 100,
    // hop limit 65 and a 20 GiB root volume; and a node group "bad" with m5large, a security group id among its
    // subnets, user data that is neither a script nor base64 of one, and a delete timeout in words
    // WHEN it is validated
    const start = Date.now();
    failure = await expectTerraformFailure(path.join(__dirname, 'fixtures', 'invalid-node-group'));
    timings.invalid = { totalMs: Date.now() - start, stage: failure.stage };
  });

  test('terraform validate rejects every broken rule, naming the node group, with the module message', () => {
    // THEN validate (not apply, not even plan) stops with one diagnostic per rule
    expect(failure.stage).toBe('validate');
    const output = failure.output.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');
    const broken = NODE_GROUP_RULES.filter((rule) =>
      [
        'may only contain lowercase letters, digits and inner hyphens',
        'must be an integer between 100 and 200',
        'must be at most 100 above {instance_refresh.min_healthy_percentage}, as AWS requires',
        'must be strictly ascending',
        'must end with 100, or the refresh stops at the last checkpoint',
        'must be an integer between 1 and 64 (the IMDS limits)',
        "must be an integer between 30 and 16384 (the AMI's root snapshot is 30 GiB and gp3 volumes end at 16384 GiB)",
      ].includes(rule.reason({ minimumRootVolumeGiB: 30 })),
    );
    expect(broken).toHaveLength(7);
    for (const rule of broken) {
      const message = ruleValidation(rule).message.replace(/\$\{join.*?\]\)\}/, '"X86"');
      expect(output).toContain(message.replace(/\s+/g, ' '));
    }
    expect(output).toContain(
      'Invalid node_groups["X86"].instance_refresh.max_healthy_percentage: must be an integer between 100 and ' +
        '200. Fix: use 100–200 (200 launches replacements before terminating).',
    );
  });

  test('the holes users fell into are closed, each message naming only the node group that broke the rule', () => {
    // THEN m5large, a security group id among the subnets, user data that is neither a script nor base64 of one and
    // a delete timeout in words are rejected for "bad" (and for no other group)
    const output = failure.output.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');
    const named = (attribute: string) =>
      [...output.matchAll(/Invalid node_groups\[([^\]]*)\]\.([a-z_.[\]*]+):/g)]
        .filter((m) => m[2].replace(/\[\*\]$/, '') === attribute)
        .map((m) => m[1]);
    for (const attribute of ['instance_types', 'subnet_ids', 'user_data', 'delete_timeout'])
      expect([attribute, named(attribute)]).toEqual([attribute, ['"bad"']]);
  });
});
