/** Builders shared by the agent monitor tests (not a test file: no *.test.ts suffix). */
import type { ContainerInstance } from '@aws-sdk/client-ecs';
import { validateMonitorConfig, type MonitorConfig, type MonitorConfigInput } from '../../../lambdas/monitor/config';
import type { AmiFacts, FleetSnapshot, MonitoredInstance } from '../../../lambdas/monitor/types';

export const NOW = new Date('2025-06-01T00:00:00Z');
export const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod';

export const AMI_NEW = 'ami-0aaa000000000000a';
export const AMI_OLD = 'ami-0bbb000000000000b';
export const AMI_OLDER = 'ami-0ccc000000000000c';

export const AMIS: Record<string, AmiFacts> = {
  [AMI_NEW]: {
    imageId: AMI_NEW,
    name: 'al2023-ami-ecs-hvm-2023.0.20250520-kernel-6.1-x86_64',
    creationDate: '2025-05-20T00:00:00.000Z',
  },
  [AMI_OLD]: {
    imageId: AMI_OLD,
    name: 'al2023-ami-ecs-hvm-2023.0.20250401-kernel-6.1-x86_64',
    creationDate: '2025-04-01T00:00:00.000Z',
  },
  [AMI_OLDER]: {
    imageId: AMI_OLDER,
    name: 'amzn2-ami-ecs-hvm-2.0.20250101-x86_64-ebs',
    creationDate: '2025-01-01T00:00:00.000Z',
  },
};

export function monitorConfig(overrides: Partial<MonitorConfigInput> = {}): MonitorConfig {
  return validateMonitorConfig({
    clusterName: 'prod',
    clusterArn: CLUSTER_ARN,
    nodeGroups: [
      { name: 'web', asgName: 'prod-web', approvedAmiId: AMI_NEW },
      { name: 'batch', asgName: 'prod-batch', approvedAmiParameter: '/ecs-ami-rollout/prod/batch/approved-ami' },
    ],
    stateParameterName: '/ecs-ami-rollout/prod/agent-monitor-state',
    ...overrides,
  });
}

/** A healthy, connected ACTIVE instance of node group "web" on the approved AMI (override what a case needs). */
export function instance(n: number, overrides: Partial<MonitoredInstance> = {}): MonitoredInstance {
  return {
    arn: `${CLUSTER_ARN.replace(':cluster/', ':container-instance/')}/ci${String(n).padStart(3, '0')}`,
    ec2InstanceId: `i-${String(n).padStart(17, '0')}`,
    status: 'ACTIVE',
    agentConnected: true,
    agentUpdateStatus: undefined,
    agentVersion: '1.89.1',
    healthStatus: 'OK',
    amiId: AMI_NEW,
    osType: 'linux',
    cpuArchitecture: 'x86_64',
    nodeGroup: 'web',
    ...overrides,
  };
}

export function snapshot(
  instances: MonitoredInstance[],
  approvedAmis: Record<string, string | undefined> = { web: AMI_NEW, batch: AMI_NEW },
  amis: Record<string, AmiFacts> = AMIS,
): FleetSnapshot {
  return { instances, amis: new Map(Object.entries(amis)), approvedAmis: new Map(Object.entries(approvedAmis)) };
}

/** The API shape of a container instance, for adapter and handler tests. */
export function apiContainerInstance(
  n: number,
  overrides: Partial<ContainerInstance> = {},
  amiId = AMI_NEW,
): ContainerInstance {
  const view = instance(n);
  return {
    containerInstanceArn: view.arn,
    ec2InstanceId: view.ec2InstanceId,
    status: 'ACTIVE',
    agentConnected: true,
    versionInfo: { agentVersion: '1.89.1' },
    healthStatus: { overallStatus: 'OK' },
    attributes: [
      { name: 'ecs.ami-id', value: amiId },
      { name: 'ecs.os-type', value: 'linux' },
      { name: 'ecs.cpu-architecture', value: 'x86_64' },
    ],
    ...overrides,
  };
}
