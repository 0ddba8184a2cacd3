import { EcsAmiRolloutProps } from '../../lib/ecs-ami-rollout';
import { dataSourcesOf, onlyResource, resourcesOf, synthRollout } from '../support/synth';

describe('EcsAmiRollout', () => {
  test('creates the cluster, attaches every capacity provider, keeps the default strategy to one architecture', () => {
    // GIVEN two node groups, x86 on-demand and arm64 spot
    const { json } = synthRollout({
      nodeGroups: [
        { name: 'x86', capacityProvider: { base: 2 } },
        {
          name: 'arm64-spot',
          architecture: 'arm64',
          instanceTypes: ['m7g.large', 'c7g.large'],
          mixedInstances: { onDemandPercentageAboveBaseCapacity: 0 },
        },
      ],
    });
    // THEN one cluster, two ASGs, both capacity providers attached, only the x86 one in the default strategy
    expect(onlyResource(json, 'aws_ecs_cluster')).toMatchObject({
      name: 'prod',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    const asgNames = resourcesOf(json, 'aws_autoscaling_group').map((g) => g.name);
    expect(asgNames.sort()).toEqual([
      expect.stringMatching(/^\$\{aws_ecs_cluster\.rollout_cluster_\w+\.name\}-arm64-spot$/),
      expect.stringMatching(/^\$\{aws_ecs_cluster\.rollout_cluster_\w+\.name\}-x86$/),
    ]);
    const attachment = onlyResource(json, 'aws_ecs_cluster_capacity_providers');
    expect(attachment.capacity_providers).toHaveLength(2);
    expect(attachment.default_capacity_provider_strategy).toEqual([
      {
        capacity_provider: expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.rollout_node-group-x86_/),
        weight: 1,
        base: 2,
      },
    ]);
  });

  test('an explicit strategy may name node groups and FARGATE; extra providers join the cluster', () => {
    const { json } = synthRollout({
      nodeGroups: [{ name: 'x86' }, { name: 'arm', architecture: 'arm64' }],
      extraCapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [
        { capacityProvider: 'arm', weight: 3 },
        { capacityProvider: 'FARGATE', base: 1 },
      ],
    });
    const attachment = onlyResource(json, 'aws_ecs_cluster_capacity_providers');
    expect(attachment.capacity_providers.slice(2)).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(attachment.default_capacity_provider_strategy).toEqual([
      {
        capacity_provider: expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.rollout_node-group-arm_/),
        weight: 3,
        base: 0,
      },
      { capacity_provider: 'FARGATE', weight: 1, base: 1 },
    ]);
  });

  test("manageClusterCapacityProviders false leaves the cluster's list to another configuration", () => {
    const { json } = synthRollout({ manageClusterCapacityProviders: false });
    expect(resourcesOf(json, 'aws_ecs_cluster_capacity_providers')).toEqual([]);
  });

  test('functions, their log groups, queues, rules and roles are named after the cluster', () => {
    const { json } = synthRollout({});
    expect(
      resourcesOf(json, 'aws_lambda_function')
        .map((f) => f.function_name)
        .sort(),
    ).toEqual(['prod-agent-monitor', 'prod-ami-watcher', 'prod-drain-gate', 'prod-launch-gate']);
    const prefixes = resourcesOf(json, 'aws_iam_role').map((r) => r.name_prefix);
    expect(prefixes).toEqual(expect.arrayContaining(['prod-drain-gate-', 'prod-launch-gate-']));
    for (const rule of resourcesOf(json, 'aws_cloudwatch_event_rule')) expect(rule.name).toMatch(/^prod-/);
    for (const queue of resourcesOf(json, 'aws_sqs_queue')) expect(queue.name).toMatch(/^prod-.+-(dlq|events)$/);
    for (const group of resourcesOf(json, 'aws_cloudwatch_log_group'))
      expect(group.name).toMatch(/^\/aws\/lambda\/prod-/);
  });

  test('node groups share one instance profile', () => {
    const { json } = synthRollout({ nodeGroups: [{ name: 'a' }, { name: 'b' }] });
    expect(resourcesOf(json, 'aws_iam_instance_profile')).toHaveLength(1);
  });

  test('adopting an existing cluster reads it instead of creating it', () => {
    // GIVEN adoptExistingCluster WHEN synthesized THEN a data source replaces the resource
    const { json } = synthRollout({ adoptExistingCluster: true });
    expect(resourcesOf(json, 'aws_ecs_cluster')).toEqual([]);
    expect(dataSourcesOf(json, 'aws_ecs_cluster')).toEqual([expect.objectContaining({ cluster_name: 'prod' })]);
  });

  test('drainOwner ecs turns managed draining on for every node group', () => {
    const { json } = synthRollout({ drainOwner: 'ecs', nodeGroups: [{ name: 'a' }, { name: 'b' }] });
    const draining = resourcesOf(json, 'aws_ecs_capacity_provider').map(
      (cp) => cp.auto_scaling_group_provider.managed_draining,
    );
    expect(draining).toEqual(['ENABLED', 'ENABLED']);
  });

  test('a given instance profile is used as is', () => {
    const { json } = synthRollout({ instanceProfileName: 'my-profile' });
    expect(resourcesOf(json, 'aws_iam_instance_profile')).toEqual([]);
    expect(onlyResource(json, 'aws_launch_template').iam_instance_profile).toEqual({ name: 'my-profile' });
  });

  test.each<[string, Partial<EcsAmiRolloutProps>, RegExp]>([
    [
      'no node groups',
      { nodeGroups: [] },
      /EcsAmiRollout\.nodeGroups: \[\] is invalid — must not be empty\. Fix: add at least one node group/,
    ],
    [
      'duplicate node group names',
      { nodeGroups: [{ name: 'x86' }, { name: 'x86' }] },
      /EcsAmiRollout\.nodeGroups\[\]\.name: "x86" is invalid — is used by two node groups/,
    ],
    [
      'two bases',
      {
        nodeGroups: [
          { name: 'a', capacityProvider: { base: 1 } },
          { name: 'b', capacityProvider: { base: 1 } },
        ],
      },
      /only one capacity provider in a strategy may have a base/,
    ],
    [
      'bad drain owner',
      { drainOwner: 'both' as never },
      /EcsAmiRollout\.drainOwner: "both" is invalid — must be one of "lambda", "ecs"/,
    ],
    [
      'a strategy with every weight 0',
      { defaultCapacityProviderStrategy: [{ capacityProvider: 'x86', weight: 0 }] },
      /EcsAmiRollout\.defaultCapacityProviderStrategy: \[0\] is invalid — has no capacity provider with a weight above 0/,
    ],
    [
      'a strategy naming an unknown provider',
      { defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] },
      /"FARGATE" is invalid — names a capacity provider that is neither a node group nor one of the extra/,
    ],
    [
      'a cluster name too long for the names after it',
      { clusterName: 'a'.repeat(33) },
      /EcsAmiRollout\.clusterName \(as name prefix\): "a{33}" is invalid — must be 1–32 letters/,
    ],
    [
      'bad cluster name',
      { clusterName: 'prod web' },
      /EcsCluster\.clusterName: "prod web" is invalid — may only contain letters, digits, hyphens and underscores/,
    ],
    ['bad container insights', { containerInsights: 'on' as never }, /EcsCluster\.containerInsights: "on" is invalid/],
    [
      'no subnets anywhere',
      { subnetIds: undefined },
      /NodeGroup\[x86\]\.subnetIds: \[\] is invalid — must not be empty/,
    ],
  ])('rejects %s', (_name, props, message) => {
    // GIVEN invalid props WHEN built THEN the message names the prop, the value and the fix
    expect(() => synthRollout(props)).toThrow(message);
  });
});

describe('EcsAmiRollout IAM and VPC settings', () => {
  test('every role gets the path and permissions boundary; functions in a VPC get the VPC access policy', () => {
    const boundary = 'arn:aws:iam::123456789012:policy/boundary';
    const { json } = synthRollout({
      iam: { path: '/ecs/', permissionsBoundary: boundary },
      functionVpc: { subnetIds: ['subnet-0000000000000000c'], securityGroupIds: ['sg-0000000000000000c'] },
    });
    const roles = resourcesOf(json, 'aws_iam_role');
    expect(roles.length).toBeGreaterThanOrEqual(5);
    for (const role of roles) expect([role.path, role.permissions_boundary]).toEqual(['/ecs/', boundary]);
    for (const fn of resourcesOf(json, 'aws_lambda_function'))
      expect(fn.vpc_config).toEqual({
        subnet_ids: ['subnet-0000000000000000c'],
        security_group_ids: ['sg-0000000000000000c'],
      });
    const attachments = resourcesOf(json, 'aws_iam_role_policy_attachment').map((a) => String(a.policy_arn));
    expect(attachments.filter((arn) => arn.endsWith('service-role/AWSLambdaVPCAccessExecutionRole'))).toHaveLength(4);
  });
});
