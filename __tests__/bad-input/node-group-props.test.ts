/**
 * Bad-input matrix, node group props: each row is rejected in the NodeGroup constructor with the uniform
 * "<prop>: <value> is invalid — <reason>. Fix: <fix>." message, the rule naming the node group. The rules themselves
 * live in lib/node-group/node-group-rules.ts (one table for the construct and the Terraform module).
 */
import { BadInput, expectUniformRejection, nodeGroup, rollout } from './support/matrix';

const SIX_SECURITY_GROUPS = Array.from({ length: 6 }, (_, i) => `sg-0000000${i}`);

const NODE_GROUP: BadInput[] = [
  {
    name: 'an upper-case node group name',
    build: nodeGroup({ name: 'X86_Group' }),
    prop: 'NodeGroup[X86_Group].name',
    value: '"X86_Group"',
  },
  {
    name: 'no subnets anywhere',
    build: rollout({ subnetIds: undefined }),
    prop: 'NodeGroup[x86].subnetIds',
    value: '[]',
    fixMentions: 'subnet',
  },
  {
    name: 'six security groups',
    build: nodeGroup({ securityGroupIds: SIX_SECURITY_GROUPS }),
    prop: 'NodeGroup[x86].securityGroupIds',
    value: JSON.stringify(SIX_SECURITY_GROUPS),
  },
  {
    name: 'minSize above maxSize',
    build: nodeGroup({ minSize: 5, maxSize: 3, desiredCapacity: 4 }),
    prop: 'NodeGroup[x86].minSize',
    value: '5',
    fixMentions: 'maxSize',
  },
  {
    name: 'a fractional desired capacity',
    build: nodeGroup({ desiredCapacity: 2.5 }),
    prop: 'NodeGroup[x86].desiredCapacity',
    value: '2.5',
  },
  {
    name: 'an arm64 instance type on x86_64',
    build: nodeGroup({ instanceTypes: ['m7g.large'] }),
    prop: 'NodeGroup[x86].instanceTypes',
    value: '"m7g.large"',
    fixMentions: 'architecture',
  },
  {
    name: 'two instance types without a mixed instances policy',
    build: nodeGroup({ instanceTypes: ['m7i.large', 'm6i.large'] }),
    prop: 'NodeGroup[x86].instanceTypes',
    value: '["m7i.large","m6i.large"]',
    fixMentions: 'mixedInstances',
  },
  {
    name: 'a root volume smaller than the AMI snapshot',
    build: nodeGroup({ rootVolumeSizeGiB: 8 }),
    prop: 'NodeGroup[x86].rootVolumeSizeGiB',
    value: '8',
    fixMentions: '30 GiB',
  },
  {
    name: 'IMDS hop limit 0',
    build: nodeGroup({ httpPutResponseHopLimit: 0 }),
    prop: 'NodeGroup[x86].httpPutResponseHopLimit',
    value: '0',
    fixMentions: 'host only',
  },
  {
    name: 'an hour-long stop timeout plus one second',
    build: nodeGroup({ containerStopTimeoutSeconds: 3601 }),
    prop: 'NodeGroup[x86].containerStopTimeoutSeconds',
    value: '3601',
  },
  {
    name: 'a refresh that can never replace an instance (100/100)',
    build: nodeGroup({ instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 100 } }),
    prop: 'NodeGroup[x86].instanceRefresh.maxHealthyPercentage',
    value: '100',
  },
  {
    name: 'descending checkpoints',
    build: nodeGroup({ instanceRefresh: { checkpointPercentages: [50, 20, 100] } }),
    prop: 'NodeGroup[x86].instanceRefresh.checkpointPercentages',
    value: '[50,20,100]',
    fixMentions: 'sort',
  },
  {
    name: 'checkpoints not ending at 100',
    build: nodeGroup({ instanceRefresh: { checkpointPercentages: [10, 50] } }),
    prop: 'NodeGroup[x86].instanceRefresh.checkpointPercentages',
    value: '[10,50]',
    fixMentions: 'append 100',
  },
  {
    name: 'eleven refresh alarms',
    build: nodeGroup({ instanceRefresh: { alarmNames: Array.from({ length: 11 }, (_, i) => `a${i}`) } }),
    prop: 'NodeGroup[x86].instanceRefresh.alarmNames',
    value: '["a0","a1","a2","a3","a4","a5","a6","a7","a8","a9","a10"]',
    fixMentions: 'composite',
  },
  {
    name: 'auto rollback in amiMode auto',
    build: nodeGroup({ instanceRefresh: { autoRollback: true } }),
    prop: 'NodeGroup[x86].instanceRefresh.autoRollback',
    value: 'true',
    fixMentions: 'watcher',
  },
  {
    name: 'a 10-second launch hook heartbeat',
    build: nodeGroup({ launchHook: { heartbeatTimeoutSeconds: 10 } }),
    prop: 'NodeGroup[x86].launchHook.heartbeatTimeoutSeconds',
    value: '10',
  },
  {
    name: 'termination protection without managed scaling',
    build: nodeGroup({ capacityProvider: { managedScaling: false } }),
    prop: 'NodeGroup[x86].capacityProvider.managedTerminationProtection',
    value: 'true',
    fixMentions: 'managedScaling',
  },
  {
    name: 'spot share of 150 %',
    build: nodeGroup({ mixedInstances: { onDemandPercentageAboveBaseCapacity: 150 } }),
    prop: 'NodeGroup[x86].mixedInstances.onDemandPercentageAboveBaseCapacity',
    value: '150',
  },
  {
    name: 'an unknown AMI mode',
    build: nodeGroup({ amiMode: 'manual' as never }),
    prop: 'NodeGroup[x86].amiMode',
    value: '"manual"',
    fixMentions: 'gitops',
  },
  {
    name: 'an instance type without its dot (m5large)',
    build: nodeGroup({ instanceTypes: ['m5large'] }),
    prop: 'NodeGroup[x86].instanceTypes',
    value: '"m5large"',
    fixMentions: 'spelling',
  },
  {
    name: 'an instance type in capitals (M7i.Large)',
    build: nodeGroup({ instanceTypes: ['M7i.Large'] }),
    prop: 'NodeGroup[x86].instanceTypes',
    value: '"M7i.Large"',
  },
  {
    name: 'a security group id among the subnets',
    build: nodeGroup({ subnetIds: ['sg-0123456789abcdef0'] }),
    prop: 'NodeGroup[x86].subnetIds',
    value: '"sg-0123456789abcdef0"',
    fixMentions: 'subnet ids',
  },
  {
    name: 'user data that is neither a script nor base64 of one',
    build: nodeGroup({ userData: 'H4sIAAAAAAAA' }),
    prop: 'NodeGroup[x86].userData',
    value: '"H4sIAAAAAAAA"',
    fixMentions: 'base64',
  },
  {
    name: 'a delete timeout in words',
    build: nodeGroup({ deleteTimeout: 'twenty minutes' }),
    prop: 'NodeGroup[x86].deleteTimeout',
    value: '"twenty minutes"',
  },
];

describe('bad construct props: NodeGroup', () => {
  test.each(NODE_GROUP.map((row) => [row.name, row] as const))(
    'rejects %s, naming the node group, the setting, the value and the fix',
    (_name, row) => {
      // GIVEN one bad input WHEN the construct is built THEN it throws the uniform message (nothing is synthesized)
      expectUniformRejection(row);
    },
  );
});
