import { TerraformVariable, Testing } from 'cdktf';
import { AmiSource } from '../../../lib/ami/ami-source';
import { NodeGroup } from '../../../lib/node-group/node-group';
import { NodeGroupOptions } from '../../../lib/node-group/node-group-props';
import { BASE_PROPS, newStack, onlyResource, resourcesOf, synthRollout } from '../../support/synth';

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

describe('NodeGroup validation', () => {
  test.each<[string, Partial<NodeGroupOptions>, RegExp]>([
    [
      'min > max',
      { minSize: 5, maxSize: 2, desiredCapacity: 2 },
      /NodeGroup\[x86\]\.minSize: 5 is invalid — must not exceed maxSize\. Fix: lower minSize or raise maxSize\./,
    ],
    [
      'desired below min',
      { minSize: 2, maxSize: 4, desiredCapacity: 1 },
      /desiredCapacity: 1 is invalid — must lie within \[minSize, maxSize\]/,
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
      /maxHealthyPercentage: 160 is invalid — must be at most 100 above minHealthyPercentage, as AWS requires/,
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
      { securityGroupIds: Array.from({ length: 6 }, (_, i) => `sg-0000000${i}`) },
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
      /NodeGroup\[X86_Group\]\.name: "X86_Group" is invalid — may only contain lowercase letters/,
    ],
    [
      'several types without mixed policy',
      { instanceTypes: ['m7i.large', 'm6i.large'] },
      /several instance types need a mixed instances policy/,
    ],
    [
      'arm type on x86 group',
      { instanceTypes: ['m7g.large'] },
      /instanceTypes: "m7g.large" is invalid — must be instance types of the node group's architecture/,
    ],
    [
      'x86 type on arm group',
      { architecture: 'arm64', instanceTypes: ['m7i.large'] },
      /"m7i.large" is invalid — must be instance types of the node group's architecture.*Fix: pass instance types of the architecture or change architecture\./,
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
      /minimumScalingStepSize: 5 is invalid — must not exceed maximumScalingStepSize\. Fix: lower it or raise maximumScalingStepSize\./,
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
