import { TerraformVariable, Testing } from 'cdktf';
import { AmiSource } from '../lib/ami/ami-source';
import { NodeGroup } from '../lib/node-group/node-group';
import { NodeGroupOptions } from '../lib/node-group/node-group-props';
import { BASE_PROPS, dataSourcesOf, newStack, onlyResource, resourcesOf, synthRollout } from './support/synth';
import type { JsonObject } from './support/json';

const CLUSTER = { clusterName: 'prod', clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod' };
const NETWORK = { subnetIds: ['subnet-0000000000000000a'], securityGroupIds: ['sg-0000000000000000a'] };

function synthGroup(options: Partial<NodeGroupOptions> = {}) {
  const stack = newStack();
  const group = new NodeGroup(stack, 'group', { name: 'x86', ...NETWORK, ...options, cluster: CLUSTER });
  const synthesized = Testing.synth(stack);
  return { group, synthesized, json: JSON.parse(synthesized) };
}

function expectInvalid(options: Partial<NodeGroupOptions>, message: RegExp) {
  expect(() => synthGroup(options)).toThrow(message);
}

describe('NodeGroup defaults', () => {
  // GIVEN a node group with only a name and network
  // WHEN it is synthesized
  const { synthesized, json } = synthGroup();

  test('launch template requires IMDSv2 with hop limit 1', () => {
    // THEN the metadata options allow IMDSv2 tokens only
    expect(synthesized).toHaveResourceWithProperties(
      { tfResourceType: 'aws_launch_template' },
      {
        metadata_options: {
          http_endpoint: 'enabled',
          http_tokens: 'required',
          http_put_response_hop_limit: 1,
          instance_metadata_tags: 'disabled',
        },
      },
    );
  });

  test('root volume is encrypted gp3 of 30 GiB and no public IP is associated', () => {
    const lt = onlyResource(json, 'aws_launch_template');
    expect(lt.block_device_mappings).toEqual([
      {
        device_name: '/dev/xvda',
        ebs: { volume_size: 30, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' },
      },
    ]);
    expect(lt.network_interfaces[0]).toMatchObject({
      associate_public_ip_address: 'false',
      security_groups: NETWORK.securityGroupIds,
    });
    expect(lt.monitoring).toEqual({ enabled: true });
  });

  test('AMI comes from the AL2023 x86_64 ECS-optimized public parameter, read as a visible value', () => {
    expect(dataSourcesOf(json, 'aws_ssm_parameter')).toEqual([
      expect.objectContaining({ name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }),
    ]);
  });

  test('amiMode auto: the launch template resolves the module-owned approved parameter, set once by Terraform', () => {
    // THEN the image is resolve:ssm on the approved parameter
    const approved = resourcesOf(json, 'aws_ssm_parameter').find((p) => p.name.endsWith('/approved-ami'));
    expect(onlyResource(json, 'aws_launch_template').image_id).toMatch(
      /^resolve:ssm:\$\{aws_ssm_parameter\..+\.name\}$/,
    );
    // AND both watcher parameters start from the public parameter's value and ignore later writes
    const parameters = resourcesOf(json, 'aws_ssm_parameter');
    expect(parameters.map((p) => p.name)).toEqual([
      '/ecs-ami-rollout/prod/x86/approved-ami',
      '/ecs-ami-rollout/prod/x86/previous-ami',
    ]);
    for (const parameter of parameters) {
      expect(parameter).toMatchObject({
        type: 'String',
        data_type: 'aws:ec2:image',
        value: expect.stringMatching(/^\$\{data\.aws_ssm_parameter\..+\.insecure_value\}$/),
        lifecycle: { ignore_changes: ['value', 'insecure_value'] },
      });
    }
    expect(approved).toBeDefined();
  });

  test('ASG is bound to the launch template latest_version, never $Latest', () => {
    const asg = onlyResource(json, 'aws_autoscaling_group');
    expect(asg.launch_template.version).toMatch(/^\$\{aws_launch_template\..+\.latest_version\}$/);
    expect(synthesized).not.toContain('$Latest');
    expect(synthesized).not.toContain('$Default');
  });

  test('Rolling instance refresh keeps 100 % healthy and refreshes scale-in protected instances', () => {
    expect(onlyResource(json, 'aws_autoscaling_group').instance_refresh).toEqual({
      strategy: 'Rolling',
      preferences: {
        min_healthy_percentage: 100,
        max_healthy_percentage: 200,
        instance_warmup: '60',
        skip_matching: false,
        auto_rollback: false,
        scale_in_protected_instances: 'Refresh',
        standby_instances: 'Terminate',
      },
    });
  });

  test('both gate lifecycle hooks live inside the ASG with their defaults', () => {
    expect(onlyResource(json, 'aws_autoscaling_group').initial_lifecycle_hook).toEqual([
      {
        name: 'ecs-ami-rollout-launch-gate',
        lifecycle_transition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        heartbeat_timeout: 900,
        default_result: 'ABANDON',
      },
      {
        name: 'ecs-ami-rollout-drain-gate',
        lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        heartbeat_timeout: 3600,
        default_result: 'CONTINUE',
      },
    ]);
  });

  test('ASG removes the oldest launch template first, reports group metrics and leaves desired capacity to ECS', () => {
    const asg = onlyResource(json, 'aws_autoscaling_group');
    expect(asg.termination_policies).toEqual(['OldestLaunchTemplate', 'OldestInstance']);
    expect(asg.enabled_metrics).toContain('GroupInServiceInstances');
    expect(asg.protect_from_scale_in).toBe(true);
    expect(asg.capacity_rebalance).toBe(false);
    expect(asg.lifecycle).toEqual({ ignore_changes: ['desired_capacity'] });
    expect(asg.tag).toContainEqual({ key: 'AmazonECSManaged', value: 'true', propagate_at_launch: true });
  });

  test('capacity provider: managed scaling, termination protection, managed draining DISABLED (drain gate)', () => {
    expect(synthesized).toHaveResource({ tfResourceType: 'aws_ecs_capacity_provider' });
    expect(onlyResource(json, 'aws_ecs_capacity_provider')).toMatchObject({
      name: 'cp-prod-x86',
      auto_scaling_group_provider: {
        managed_draining: 'DISABLED',
        managed_termination_protection: 'ENABLED',
        managed_scaling: { status: 'ENABLED', target_capacity: 100 },
      },
    });
  });

  test('user data registers with the cluster, enables spot draining and sets the stop timeout', () => {
    const userData: string = onlyResource(json, 'aws_launch_template').user_data;
    expect(userData).toMatch(/^\$\{base64encode\(join\(""/);
    expect(userData).toContain('ECS_CLUSTER=');
    expect(userData).toContain('ECS_ENABLE_SPOT_INSTANCE_DRAINING=true');
    expect(userData).toContain('ECS_CONTAINER_STOP_TIMEOUT=30s');
  });

  test('an instance profile with the ECS and SSM managed policies is created', () => {
    const attachments = Object.values<JsonObject>(json.resource.aws_iam_role_policy_attachment).map(
      (a) => a.policy_arn,
    );
    expect(attachments).toEqual([
      expect.stringMatching(/:iam::aws:policy\/service-role\/AmazonEC2ContainerServiceforEC2Role$/),
      expect.stringMatching(/:iam::aws:policy\/AmazonSSMManagedInstanceCore$/),
    ]);
  });
});

describe('NodeGroup options', () => {
  test('arm64 picks the arm64 parameter and a Graviton instance type', () => {
    // GIVEN an arm64 node group WHEN synthesized
    const { json } = synthGroup({ architecture: 'arm64' });
    // THEN the arm64 AMI parameter and m7g.large are used
    expect(dataSourcesOf(json, 'aws_ssm_parameter')[0].name).toBe(
      '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id',
    );
    expect(onlyResource(json, 'aws_launch_template').instance_type).toBe('m7g.large');
  });

  test('amiMode gitops with a pinned AMI: concrete id in the launch template and Auto Scaling auto rollback', () => {
    // GIVEN gitops mode and a pinned AMI WHEN synthesized
    const { json } = synthGroup({ amiMode: 'gitops', amiSource: AmiSource.pinned('ami-0123456789abcdef0') });
    // THEN no parameters at all, the AMI id in the template, auto rollback on
    expect(onlyResource(json, 'aws_launch_template').image_id).toBe('ami-0123456789abcdef0');
    expect(dataSourcesOf(json, 'aws_ssm_parameter')).toEqual([]);
    expect(resourcesOf(json, 'aws_ssm_parameter')).toEqual([]);
    expect(onlyResource(json, 'aws_autoscaling_group').instance_refresh.preferences.auto_rollback).toBe(true);
  });

  test('amiMode gitops with the public parameter: the AMI id is resolved at plan time', () => {
    const { json } = synthGroup({ amiMode: 'gitops' });
    expect(onlyResource(json, 'aws_launch_template').image_id).toMatch(
      /^\$\{data\.aws_ssm_parameter\..+\.insecure_value\}$/,
    );
  });

  test('spot mixed instances policy uses latest_version, overrides and capacity rebalance', () => {
    // GIVEN two instance types with 25 % on-demand above base
    const { json } = synthGroup({
      instanceTypes: ['m7i.large', 'm6i.large'],
      mixedInstances: { onDemandPercentageAboveBaseCapacity: 25 },
    });
    const asg = onlyResource(json, 'aws_autoscaling_group');
    // THEN the launch template sits inside the mixed instances policy
    expect(asg.launch_template).toBeUndefined();
    expect(asg.capacity_rebalance).toBe(true);
    expect(asg.mixed_instances_policy.instances_distribution).toEqual({
      on_demand_base_capacity: 0,
      on_demand_percentage_above_base_capacity: 25,
      spot_allocation_strategy: 'price-capacity-optimized',
    });
    expect(asg.mixed_instances_policy.launch_template.launch_template_specification.version).toMatch(
      /latest_version\}$/,
    );
    expect(asg.mixed_instances_policy.launch_template.override).toEqual([
      { instance_type: 'm7i.large' },
      { instance_type: 'm6i.large' },
    ]);
  });

  test('checkpoints, alarms and hop limit are passed through', () => {
    const { json } = synthGroup({
      httpPutResponseHopLimit: 2,
      instanceRefresh: { checkpointPercentages: [20, 100], checkpointDelaySeconds: 600, alarmNames: ['five-xx'] },
    });
    const prefs = onlyResource(json, 'aws_autoscaling_group').instance_refresh.preferences;
    expect(prefs).toMatchObject({
      checkpoint_percentages: [20, 100],
      checkpoint_delay: '600',
      alarm_specification: { alarms: ['five-xx'] },
    });
    expect(onlyResource(json, 'aws_launch_template').metadata_options.http_put_response_hop_limit).toBe(2);
  });

  test("user's script with quotes and ${VAR} is an escaped literal, not a Terraform interpolation", () => {
    const { json } = synthGroup({ userData: '#!/bin/bash\necho "home is ${HOME}"' });
    const userData: string = onlyResource(json, 'aws_launch_template').user_data;
    expect(userData).toContain('$${HOME}');
    expect(userData).toContain('\\"home is');
    expect(userData).toContain('Content-Type: text/x-shellscript');
  });

  test('managed scaling off: Terraform owns desired capacity and no AmazonECSManaged tag', () => {
    const { json } = synthGroup({ capacityProvider: { managedScaling: false, managedTerminationProtection: false } });
    const asg = onlyResource(json, 'aws_autoscaling_group');
    expect(asg.lifecycle).toBeUndefined();
    expect(asg.protect_from_scale_in).toBe(false);
    expect(asg.tag.map((t: JsonObject) => t.key)).not.toContain('AmazonECSManaged');
  });

  test('drain owner ecs enables managed draining', () => {
    const stack = newStack();
    new NodeGroup(stack, 'group', { name: 'x86', ...NETWORK, cluster: CLUSTER, drainOwner: 'ecs' });
    const json = JSON.parse(Testing.synth(stack));
    expect(onlyResource(json, 'aws_ecs_capacity_provider').auto_scaling_group_provider.managed_draining).toBe(
      'ENABLED',
    );
    // ECS adds its own terminate hook for managed draining: ours would only delay terminations.
    expect(onlyResource(json, 'aws_autoscaling_group').initial_lifecycle_hook.map((h: JsonObject) => h.name)).toEqual([
      'ecs-ami-rollout-launch-gate',
    ]);
  });
});

describe('NodeGroup validation', () => {
  test.each<[string, Partial<NodeGroupOptions>, RegExp]>([
    [
      'min > max',
      { minSize: 5, maxSize: 2, desiredCapacity: 2 },
      /NodeGroup\[x86\]\.minSize: 5 is invalid — must not exceed maxSize \(2\)/,
    ],
    [
      'desired below min',
      { minSize: 2, maxSize: 4, desiredCapacity: 1 },
      /desiredCapacity: 1 is invalid — must lie within \[minSize, maxSize\] = \[2, 4\]/,
    ],
    ['desired above max', { minSize: 1, maxSize: 4, desiredCapacity: 9 }, /desiredCapacity: 9 is invalid/],
    [
      'min healthy above 100',
      { instanceRefresh: { minHealthyPercentage: 101 } },
      /minHealthyPercentage: 101 is invalid — must be an integer between 0 and 100/,
    ],
    ['min healthy negative', { instanceRefresh: { minHealthyPercentage: -1 } }, /minHealthyPercentage: -1 is invalid/],
    [
      'max healthy above 200',
      { instanceRefresh: { maxHealthyPercentage: 250 } },
      /maxHealthyPercentage: 250 is invalid — must be an integer between 100 and 200/,
    ],
    [
      'max healthy below 100',
      { instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 90 } },
      /maxHealthyPercentage: 90 is invalid — must be an integer between 100 and 200/,
    ],
    [
      'max healthy below min healthy',
      { instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 100 } },
      /could never replace an instance/,
    ],
    [
      'max more than 100 above min',
      { instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 160 } },
      /must be at most 100 above minHealthyPercentage \(50\)/,
    ],
    [
      'launch heartbeat below 30',
      { launchHook: { heartbeatTimeoutSeconds: 29 } },
      /launchHook\.heartbeatTimeoutSeconds: 29 is invalid — must be an integer between 30 and 7200/,
    ],
    [
      'terminate heartbeat above 7200',
      { terminateHook: { heartbeatTimeoutSeconds: 7201 } },
      /terminateHook\.heartbeatTimeoutSeconds: 7201 is invalid/,
    ],
    [
      'checkpoints not ascending',
      { instanceRefresh: { checkpointPercentages: [50, 20, 100] } },
      /checkpointPercentages: \[50,20,100\] is invalid — must be strictly ascending/,
    ],
    [
      'checkpoints duplicated',
      { instanceRefresh: { checkpointPercentages: [50, 50, 100] } },
      /must be strictly ascending/,
    ],
    [
      'last checkpoint not 100',
      { instanceRefresh: { checkpointPercentages: [20, 50] } },
      /must end with 100.*Fix: append 100/,
    ],
    [
      'checkpoint out of range',
      { instanceRefresh: { checkpointPercentages: [0, 100] } },
      /checkpointPercentages: 0 is invalid/,
    ],
    [
      'checkpoint delay above 2 days',
      { instanceRefresh: { checkpointPercentages: [100], checkpointDelaySeconds: 172801 } },
      /checkpointDelaySeconds: 172801 is invalid/,
    ],
    [
      'more than 10 alarms',
      { instanceRefresh: { alarmNames: Array.from({ length: 11 }, (_, i) => `a${i}`) } },
      /at most 10 alarms/,
    ],
    ['empty subnets', { subnetIds: [] }, /NodeGroup\[x86\]\.subnetIds: \[\] is invalid — must not be empty/],
    ['empty security groups', { securityGroupIds: [] }, /securityGroupIds: \[\] is invalid — must not be empty/],
    [
      'six security groups',
      { securityGroupIds: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'] },
      /at most 5 security groups/,
    ],
    [
      'root volume below the AMI minimum',
      { rootVolumeSizeGiB: 20 },
      /rootVolumeSizeGiB: 20 is invalid — must be an integer between 30 and 16384 \(the AMI's root snapshot is 30 GiB/,
    ],
    [
      'root volume below a pinned AMI minimum',
      { amiSource: AmiSource.pinned('ami-0123456789abcdef0', { minimumRootVolumeGiB: 60 }), rootVolumeSizeGiB: 40 },
      /rootVolumeSizeGiB: 40 is invalid — must be an integer between 60/,
    ],
    [
      'hop limit 0',
      { httpPutResponseHopLimit: 0 },
      /httpPutResponseHopLimit: 0 is invalid — must be an integer between 1 and 64/,
    ],
    ['hop limit 65', { httpPutResponseHopLimit: 65 }, /httpPutResponseHopLimit: 65 is invalid/],
    [
      'bad node group name',
      { name: 'X86_Group' },
      /NodeGroup\.name: "X86_Group" is invalid — may only contain lowercase letters/,
    ],
    [
      'several types without mixed policy',
      { instanceTypes: ['m7i.large', 'm6i.large'] },
      /several instance types need a mixed instances policy/,
    ],
    [
      'arm type on x86 group',
      { instanceTypes: ['m7g.large'] },
      /instanceTypes: "m7g.large" is invalid — is not an x86_64 instance type/,
    ],
    [
      'x86 type on arm group',
      { architecture: 'arm64', instanceTypes: ['m7i.large'] },
      /"m7i.large" is invalid — is not an arm64 instance type/,
    ],
    [
      'on-demand percentage above 100',
      { mixedInstances: { onDemandPercentageAboveBaseCapacity: 120 } },
      /onDemandPercentageAboveBaseCapacity: 120 is invalid/,
    ],
    [
      'target capacity 0',
      { capacityProvider: { targetCapacityPercent: 0 } },
      /targetCapacityPercent: 0 is invalid — must be an integer between 1 and 100/,
    ],
    [
      'scaling steps inverted',
      { capacityProvider: { minimumScalingStepSize: 5, maximumScalingStepSize: 2 } },
      /minimumScalingStepSize: 5 is invalid — must not exceed maximumScalingStepSize \(2\)/,
    ],
    [
      'termination protection without managed scaling',
      { capacityProvider: { managedScaling: false } },
      /managedTerminationProtection: true is invalid — requires managed scaling/,
    ],
    [
      'auto rollback in auto mode',
      { instanceRefresh: { autoRollback: true } },
      /instanceRefresh\.autoRollback: true is invalid — Auto Scaling cannot roll back a launch template that resolves its AMI from SSM/,
    ],
    [
      'unknown AMI mode',
      { amiMode: 'manual' as never },
      /NodeGroup\[x86\]\.amiMode: "manual" is invalid — must be one of "auto", "gitops"/,
    ],
    [
      'GPU variant on arm64',
      { architecture: 'arm64', amiSource: AmiSource.ecsOptimized({ variant: 'gpu' }) },
      /AmiSource\.ecsOptimized\(\{ variant \}\): "gpu on arm64" is invalid — the ECS-optimized gpu AMI exists only for x86_64/,
    ],
  ])('rejects %s', (_name, options, message) => {
    // GIVEN an invalid option WHEN the node group is built THEN the error names the prop, the value and the fix
    expectInvalid(options, message);
  });

  test('every message ends with a fix', () => {
    expect(() => synthGroup({ minSize: 5, maxSize: 2, desiredCapacity: 2 })).toThrow(
      /Fix: lower minSize or raise maxSize\.$/,
    );
  });

  test('AmiSource.pinned rejects a malformed id', () => {
    expect(() => AmiSource.pinned('ami-xyz')).toThrow(
      /AmiSource\.pinned\(amiId\): "ami-xyz" is invalid — must be an AMI id/,
    );
  });

  test('unresolved tokens are not validated at synth time', () => {
    // GIVEN sizes that are Terraform references (as in the Terraform module)
    const stack = newStack();
    const minSize = new TerraformVariable(stack, 'min_size', { type: 'number' }).numberValue;
    // WHEN the group is built THEN no error is thrown and the reference is kept
    new NodeGroup(stack, 'group', {
      name: 'x86',
      ...NETWORK,
      cluster: CLUSTER,
      minSize,
      maxSize: 2,
      desiredCapacity: 2,
    });
    expect(onlyResource(JSON.parse(Testing.synth(stack)), 'aws_autoscaling_group').min_size).toBe('${var.min_size}');
  });

  test('several node groups inherit network settings from the cluster', () => {
    const { json } = synthRollout({ nodeGroups: [{ name: 'x86' }, { name: 'arm', architecture: 'arm64' }] });
    expect(resourcesOf(json, 'aws_autoscaling_group').map((g) => g.vpc_zone_identifier)).toEqual([
      BASE_PROPS.subnetIds,
      BASE_PROPS.subnetIds,
    ]);
  });
});
