import { EcsAmiRolloutProps } from '../lib/ecs-ami-rollout';
import { dataSourcesOf, onlyResource, resourcesOf, synthRollout } from './support/synth';

describe('EcsAmiRollout', () => {
  test('creates the cluster with Container Insights, attaches every capacity provider with a default strategy', () => {
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
    // THEN one cluster, two ASGs and both capacity providers in the strategy
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
      { capacity_provider: expect.stringContaining('aws_ecs_capacity_provider.'), weight: 1, base: 2 },
      { capacity_provider: expect.stringContaining('aws_ecs_capacity_provider.'), weight: 1, base: 0 },
    ]);
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
