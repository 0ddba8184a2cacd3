/**
 * A cluster mid-rollout, as canned AWS responses: cluster `web` with two node groups.
 *   - x86 (gitops, ASG web-x86): instance refresh InProgress at 40 %; i-0new1/i-0new2 InService on the approved AMI;
 *     i-0old1 InService on the old AMI with a DISCONNECTED agent; i-0old2 in Terminating:Wait with 3 service tasks
 *     still running and service `web` not stable (running 2/3); i-0new3 in Pending:Wait, not registered yet.
 *   - arm64 (auto, ASG web-arm64): last refresh Successful, 2 instances on the approved AMI.
 * One list feeds both aws-sdk-client-mock (jest) and the fixture file of the tmux test.
 * Lists ignore their filters (ListContainerInstances, DescribeInstances answer with everything): the adapters key
 * the results by instance id, exactly as with the real, filtered answers.
 */
import type { FixtureFile, FixtureResponse } from './fixture-client';

export const NOW = '2025-03-01T12:00:00.000Z';
export const AMI_OLD = 'ami-0aaaaaaaaaaaaaaa1';
export const AMI_NEW = 'ami-0bbbbbbbbbbbbbbb2';
export const AMI_ARM = 'ami-0ccccccccccccccc3';
const ACCOUNT = '123456789012';
const CLUSTER_ARN = `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/web`;
const ci = (id: string) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:container-instance/web/${id.replace('i-', 'ci')}`;
const task = (n: number) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:task/web/task${n}`;

const tags = (nodeGroup: string) => [
  { Key: 'ecs-ami-rollout:cluster', Value: 'web' },
  { Key: 'ecs-ami-rollout:node-group', Value: nodeGroup },
];

interface InstanceSpec {
  id: string;
  state: string;
  ami: string;
  launch: string;
  ci?: { status: string; connected: boolean; attributes?: Record<string, string> };
}

const X86: InstanceSpec[] = [
  {
    id: 'i-0new1',
    state: 'InService',
    ami: AMI_NEW,
    launch: '2025-03-01T11:40:00Z',
    ci: { status: 'ACTIVE', connected: true },
  },
  {
    id: 'i-0new2',
    state: 'InService',
    ami: AMI_NEW,
    launch: '2025-03-01T11:41:00Z',
    ci: { status: 'ACTIVE', connected: true },
  },
  {
    id: 'i-0old1',
    state: 'InService',
    ami: AMI_OLD,
    launch: '2025-02-01T08:00:00Z',
    ci: { status: 'ACTIVE', connected: false },
  },
  {
    id: 'i-0old2',
    state: 'Terminating:Wait',
    ami: AMI_OLD,
    launch: '2025-02-01T08:00:00Z',
    ci: {
      status: 'DRAINING',
      connected: true,
      attributes: { 'ecs-ami-rollout.drain-started-at': '2025-03-01T11:54:20.000Z' },
    },
  },
  { id: 'i-0new3', state: 'Pending:Wait', ami: AMI_NEW, launch: '2025-03-01T11:57:50Z' },
];
const ARM: InstanceSpec[] = [
  {
    id: 'i-0arm1',
    state: 'InService',
    ami: AMI_ARM,
    launch: '2025-02-20T08:00:00Z',
    ci: { status: 'ACTIVE', connected: true },
  },
  {
    id: 'i-0arm2',
    state: 'InService',
    ami: AMI_ARM,
    launch: '2025-02-20T08:00:00Z',
    ci: { status: 'ACTIVE', connected: true },
  },
];
const ALL = [...X86, ...ARM];

function asg(name: string, nodeGroup: string, templateId: string, instances: InstanceSpec[]) {
  return {
    AutoScalingGroupName: name,
    DesiredCapacity: instances.filter((i) => !i.state.startsWith('Terminating')).length,
    LaunchTemplate: { LaunchTemplateId: templateId, Version: '7' },
    Instances: instances.map((i) => ({ InstanceId: i.id, LifecycleState: i.state })),
    Tags: tags(nodeGroup),
  };
}

export function midRefreshResponses(): FixtureResponse[] {
  return [
    {
      command: 'DescribeClustersCommand',
      input: { clusters: ['web'] },
      output: { clusters: [{ clusterName: 'web', clusterArn: CLUSTER_ARN, status: 'ACTIVE' }], failures: [] },
    },
    {
      command: 'DescribeAutoScalingGroupsCommand',
      output: { AutoScalingGroups: [asg('web-x86', 'x86', 'lt-0x86', X86), asg('web-arm64', 'arm64', 'lt-0arm', ARM)] },
    },
    {
      command: 'DescribeInstanceRefreshesCommand',
      input: { AutoScalingGroupName: 'web-x86' },
      output: {
        InstanceRefreshes: [
          {
            InstanceRefreshId: 'r-x86',
            Status: 'InProgress',
            PercentageComplete: 40,
            InstancesToUpdate: 3,
            StartTime: '2025-03-01T11:38:00Z',
          },
        ],
      },
    },
    {
      command: 'DescribeInstanceRefreshesCommand',
      input: { AutoScalingGroupName: 'web-arm64' },
      output: {
        InstanceRefreshes: [
          {
            InstanceRefreshId: 'r-arm',
            Status: 'Successful',
            PercentageComplete: 100,
            InstancesToUpdate: 0,
            StartTime: '2025-02-20T07:30:00Z',
            EndTime: '2025-02-20T08:10:00Z',
          },
        ],
      },
    },
    {
      command: 'DescribeLaunchTemplateVersionsCommand',
      input: { LaunchTemplateId: 'lt-0x86' },
      output: { LaunchTemplateVersions: [{ LaunchTemplateData: { ImageId: AMI_NEW } }] },
    },
    {
      command: 'DescribeLaunchTemplateVersionsCommand',
      input: { LaunchTemplateId: 'lt-0arm' },
      output: {
        LaunchTemplateVersions: [
          { LaunchTemplateData: { ImageId: 'resolve:ssm:/ecs-ami-rollout/web/arm64/approved-ami' } },
        ],
      },
    },
    {
      command: 'DescribeImagesCommand',
      input: { ImageIds: [AMI_NEW] },
      output: {
        Images: [
          { ImageId: AMI_NEW, Name: 'al2023-ami-ecs-hvm-2023.0.20250224-kernel-6.1-x86_64', Architecture: 'x86_64' },
        ],
      },
    },
    {
      command: 'DescribeImagesCommand',
      input: { ImageIds: [AMI_ARM] },
      output: {
        Images: [
          { ImageId: AMI_ARM, Name: 'al2023-ami-ecs-hvm-2023.0.20250210-kernel-6.1-arm64', Architecture: 'arm64' },
        ],
      },
    },
    {
      command: 'GetParameterCommand',
      input: { Name: '/ecs-ami-rollout/web/paused' },
      error: { name: 'ParameterNotFound', message: 'parameter not found' },
    },
    {
      command: 'GetParameterCommand',
      input: { Name: '/ecs-ami-rollout/web/arm64/approved-ami' },
      output: { Parameter: { Value: AMI_ARM } },
    },
    {
      command: 'GetParameterCommand',
      input: { Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' },
      output: { Parameter: { Value: AMI_NEW } },
    },
    {
      command: 'GetParameterCommand',
      input: { Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id' },
      output: { Parameter: { Value: 'ami-0ddddddddddddddd4' } },
    },
    {
      command: 'DescribeInstancesCommand',
      output: {
        Reservations: [
          {
            Instances: ALL.map((i) => ({
              InstanceId: i.id,
              ImageId: i.ami,
              LaunchTime: i.launch,
              State: { Name: 'running' },
            })),
          },
        ],
      },
    },
    {
      command: 'ListContainerInstancesCommand',
      output: { containerInstanceArns: ALL.filter((i) => i.ci).map((i) => ci(i.id)) },
    },
    {
      command: 'DescribeContainerInstancesCommand',
      output: {
        containerInstances: ALL.filter((i) => i.ci).map((i) => ({
          containerInstanceArn: ci(i.id),
          ec2InstanceId: i.id,
          status: i.ci!.status,
          agentConnected: i.ci!.connected,
          healthStatus: { overallStatus: 'OK' },
          attributes: Object.entries(i.ci!.attributes ?? {}).map(([name, value]) => ({ name, value })),
        })),
      },
    },
    {
      command: 'ListTasksCommand',
      input: { containerInstance: ci('i-0old2'), desiredStatus: 'RUNNING' },
      output: { taskArns: [task(1), task(2), task(3)] },
    },
    { command: 'ListTasksCommand', output: { taskArns: [] } },
    {
      command: 'DescribeTasksCommand',
      output: {
        tasks: [1, 2, 3].map((n) => ({
          taskArn: task(n),
          lastStatus: 'RUNNING',
          desiredStatus: 'RUNNING',
          group: 'service:web',
          startedBy: 'ecs-svc/123',
          containerInstanceArn: ci('i-0old2'),
        })),
      },
    },
    {
      command: 'DescribeServicesCommand',
      output: {
        services: [
          {
            serviceName: 'web',
            status: 'ACTIVE',
            schedulingStrategy: 'REPLICA',
            runningCount: 2,
            desiredCount: 3,
            deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
          },
        ],
        failures: [],
      },
    },
  ];
}

export function midRefreshFixtureFile(): FixtureFile {
  return { now: NOW, region: 'eu-west-1', responses: midRefreshResponses() };
}
