import { Testing } from 'cdktf';
import { AmiSource } from '../../../lib/ami/ami-source';
import { NodeGroup } from '../../../lib/node-group/node-group';
import type { JsonObject } from '../../support/json';
import { NodeGroupOptions } from '../../../lib/node-group/node-group-props';
import { dataSourcesOf, newStack, onlyResource, resourcesOf } from '../../support/synth';

const CLUSTER = { clusterName: 'prod', clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod' };
const NETWORK = { subnetIds: ['subnet-0000000000000000a'], securityGroupIds: ['sg-0000000000000000a'] };

function synthGroup(options: Partial<NodeGroupOptions> = {}) {
  const stack = newStack();
  const group = new NodeGroup(stack, 'group', { name: 'x86', ...NETWORK, ...options, cluster: CLUSTER });
  const synthesized = Testing.synth(stack);
  return { group, synthesized, json: JSON.parse(synthesized) };
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

  test('both gate lifecycle hooks live inside the ASG (first instances) and as hook resources (later changes)', () => {
    const hooks = resourcesOf(json, 'aws_autoscaling_lifecycle_hook').map(({ autoscaling_group_name, ...hook }) => {
      expect(autoscaling_group_name).toMatch(/^\$\{aws_autoscaling_group\..+\.name\}$/);
      return hook;
    });
    expect(hooks).toEqual(onlyResource(json, 'aws_autoscaling_group').initial_lifecycle_hook);
    // The group ignores its initial hooks after creation: the provider would replace it for any change to them.
    expect(onlyResource(json, 'aws_autoscaling_group').lifecycle.ignore_changes).toContain('initial_lifecycle_hook');
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
    expect(asg.lifecycle).toEqual({ ignore_changes: ['initial_lifecycle_hook', 'desired_capacity'] });
    expect([asg.force_delete, asg.timeouts]).toEqual([false, { delete: '20m' }]);
    expect(asg.tag).toContainEqual({ key: 'AmazonECSManaged', value: 'true', propagate_at_launch: true });
  });

  test('capacity provider: managed scaling and termination protection, managed draining off (the gate drains)', () => {
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
    const attachments = resourcesOf(json, 'aws_iam_role_policy_attachment').map((a: JsonObject) => a.policy_arn);
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
    expect(asg.lifecycle).toEqual({ ignore_changes: ['initial_lifecycle_hook'] });
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
    expect(resourcesOf(json, 'aws_autoscaling_lifecycle_hook').map((h) => h.name)).toEqual([
      'ecs-ami-rollout-launch-gate',
    ]);
  });

  test('root volume IOPS and throughput, extra volumes and a key pair reach the launch template', () => {
    const { json } = synthGroup({
      rootVolumeIops: 6000,
      rootVolumeThroughput: 250,
      extraVolumes: [{ deviceName: '/dev/xvdb', sizeGiB: 200 }],
      keyName: 'ops',
    });
    const lt = onlyResource(json, 'aws_launch_template');
    expect(lt.key_name).toBe('ops');
    expect(lt.block_device_mappings.map((b: JsonObject) => [b.device_name, b.ebs])).toEqual([
      ['/dev/xvda', expect.objectContaining({ volume_size: 30, iops: 6000, throughput: 250, encrypted: 'true' })],
      ['/dev/xvdb', expect.objectContaining({ volume_size: 200, volume_type: 'gp3', encrypted: 'true' })],
    ]);
  });

  test('base64 user data (the terraform-aws-modules habit) is decoded, not encoded twice', () => {
    const script = '#!/bin/bash\necho hello';
    const plain = onlyResource(synthGroup({ userData: script }).json, 'aws_launch_template').user_data;
    const encoded = synthGroup({ userData: Buffer.from(script).toString('base64') });
    expect(onlyResource(encoded.json, 'aws_launch_template').user_data).toBe(plain);
  });
});
