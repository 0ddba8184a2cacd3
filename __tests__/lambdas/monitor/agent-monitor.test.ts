/** Agent monitor handler end to end with aws-sdk-client-mock: call counts, change-only notifications, agent updates. */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  NoUpdateAvailableException,
  UpdateContainerAgentCommand,
  type ContainerInstance,
} from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { clearApprovedAmiCache } from '../../../lambdas/gates/adapters/ec2';
import { createAgentMonitorHandler, routeMonitorEvent } from '../../../lambdas/monitor/monitor-handler';
import type { MonitorConfigInput } from '../../../lambdas/monitor/config';
import type { AgentMonitorDeps, MonitorMetricName } from '../../../lambdas/monitor/deps';
import { createNotifier } from '../../../lambdas/shared/notifier';
import { noopLogger } from '../../../lambdas/shared/observability';
import { AMI_NEW, AMI_OLD, AMIS, apiContainerInstance, monitorConfig, NOW } from './fixtures';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:alerts';
const STATE = '/ecs-ami-rollout/prod/agent-monitor-state';
const ecs = mockClient(ECSClient);
const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

let stored: string | undefined;
let published: Array<{ cluster: string; values: Record<MonitorMetricName, number> }>;

/** GIVEN-helper: a cluster of `instances`, listed 100 per page; all in ASG prod-web except the last one (batch). */
function givenCluster(instances: ContainerInstance[]): void {
  const arns = instances.map((ci) => ci.containerInstanceArn!);
  const pages = Math.ceil(arns.length / 100);
  ecs.on(ListContainerInstancesCommand).callsFake((input: { nextToken?: string }) => {
    const page = input.nextToken ? Number(input.nextToken) : 0;
    return {
      containerInstanceArns: arns.slice(page * 100, page * 100 + 100),
      nextToken: page + 1 < pages ? String(page + 1) : undefined,
    };
  });
  ecs.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
    containerInstances: instances.filter((ci) => input.containerInstances.includes(ci.containerInstanceArn!)),
  }));
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'prod-web',
        Instances: instances.slice(0, -1).map((ci) => ({ InstanceId: ci.ec2InstanceId })),
      } as never,
      {
        AutoScalingGroupName: 'prod-batch',
        Instances: instances.slice(-1).map((ci) => ({ InstanceId: ci.ec2InstanceId })),
      } as never,
    ],
  });
  ec2.on(DescribeImagesCommand).resolves({
    Images: Object.values(AMIS).map((ami) => ({
      ImageId: ami.imageId,
      Name: ami.name,
      CreationDate: ami.creationDate,
    })),
  });
}

function deps(overrides: Partial<MonitorConfigInput> = {}): AgentMonitorDeps {
  return {
    ecs: ecs as unknown as ECSClient,
    autoScaling: autoScaling as unknown as AutoScalingClient,
    ec2: ec2 as unknown as EC2Client,
    ssm: ssm as unknown as SSMClient,
    sns: sns as unknown as SNSClient,
    now: () => NOW,
    config: monitorConfig(overrides),
    logger: noopLogger,
    metrics: { publish: (cluster, values) => published.push({ cluster, values: { ...values } }) },
    // A fresh notifier per deps = a fresh container (no in-memory dedupe carried over between "cold starts").
    notifier: createNotifier({ logger: noopLogger, sns: sns as unknown as SNSClient, topicArn: TOPIC }),
  };
}

beforeEach(() => {
  for (const mock of [ecs, autoScaling, ec2, ssm, sns]) mock.reset();
  clearApprovedAmiCache();
  stored = undefined;
  published = [];
  ssm.on(GetParameterCommand, { Name: STATE }).callsFake(() => {
    if (stored === undefined) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    return { Parameter: { Value: stored } };
  });
  ssm
    .on(GetParameterCommand, { Name: '/ecs-ami-rollout/prod/batch/approved-ami' })
    .resolves({ Parameter: { Value: AMI_NEW } });
  ssm.on(PutParameterCommand).callsFake((input: { Value: string }) => {
    stored = input.Value;
    return {};
  });
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
});

describe('agent monitor handler', () => {
  it('reads 3 pages in 3 describe batches, notifies each finding once, saves state, publishes metrics', async () => {
    // GIVEN 205 instances: one disconnected, one on an old AMI
    const instances = Array.from({ length: 205 }, (_, i) =>
      apiContainerInstance(i, i === 3 ? { agentConnected: false } : {}, i === 7 ? AMI_OLD : AMI_NEW),
    );
    givenCluster(instances);
    // WHEN the scheduled run fires
    const result = await createAgentMonitorHandler(deps())(scheduled);
    // THEN exact call counts
    expect(ecs.commandCalls(ListContainerInstancesCommand)).toHaveLength(3);
    expect(
      ecs.commandCalls(DescribeContainerInstancesCommand).map((c) => c.args[0].input.containerInstances?.length),
    ).toEqual([100, 100, 5]);
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    // AND two notifications (disconnected + drift on web), state written once
    const subjects = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    expect(subjects).toEqual([
      '[WARNING] prod: 1 ACTIVE container agent(s) disconnected',
      '[INFO] prod/web: 1 instance(s) not on the approved AMI',
    ]);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
    expect(Object.keys(JSON.parse(stored!).f).sort()).toEqual(['disconnected', 'drift:web']);
    expect(result).toMatchObject({ retryLater: false, instances: 205, notificationsDelivered: 2, stateSaved: true });
    // AND metrics with the cluster dimension
    expect(published).toEqual([
      {
        cluster: 'prod',
        values: {
          DisconnectedAgents: 1,
          ImpairedInstances: 0,
          InstancesOffApprovedAmi: 1,
          AgentsBehindNewest: 0,
          AgentUpdateStatusFailed: 0,
          AgentUpdatesStarted: 0,
          AgentUpdatesFailed: 0,
        },
      },
    ]);
  });

  it('does not notify or write again when nothing changed (even after a cold start)', async () => {
    // GIVEN a first run already reported the disconnected agent
    givenCluster([apiContainerInstance(1, { agentConnected: false }), apiContainerInstance(2)]);
    await createAgentMonitorHandler(deps())(scheduled);
    sns.resetHistory();
    ssm.resetHistory();
    // WHEN a new container (fresh notifier memory) runs on the same fleet
    const result = await createAgentMonitorHandler(deps())(scheduled);
    // THEN the persisted digest suppresses the repeat: no publish, no write
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(result).toMatchObject({ notificationsDelivered: 0, stateSaved: false });
  });

  it('keeps an undelivered change out of the state so the next run retries it', async () => {
    // GIVEN SNS failing on the first run only
    sns.on(PublishCommand).rejectsOnce(new Error('SNS down')).resolves({});
    givenCluster([apiContainerInstance(1, { healthStatus: { overallStatus: 'IMPAIRED' } }), apiContainerInstance(2)]);
    const handler = createAgentMonitorHandler(deps());
    // WHEN two runs happen
    const first = await handler(scheduled);
    const second = await handler(scheduled);
    // THEN the first did not record the change; the second delivered and recorded it
    expect(first).toMatchObject({ notificationsUndelivered: 1, stateSaved: false });
    expect(second).toMatchObject({ notificationsDelivered: 1, stateSaved: true });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('starts one agent update and treats NoUpdateAvailableException as an expected state', async () => {
    // GIVEN two agents behind on ECS-optimized AL2023, updates on, max 1 per run; the API says no update available
    givenCluster([
      apiContainerInstance(1, { versionInfo: { agentVersion: '1.80.0' } }),
      apiContainerInstance(2, { versionInfo: { agentVersion: '1.80.0' } }),
      apiContainerInstance(3),
    ]);
    ecs.on(UpdateContainerAgentCommand).rejects(new NoUpdateAvailableException({ message: 'latest', $metadata: {} }));
    // WHEN the run fires
    const result = await createAgentMonitorHandler(deps({ updateAgents: true }))(scheduled);
    // THEN exactly one call, an expected outcome, nothing counted as failed
    expect(ecs.commandCalls(UpdateContainerAgentCommand)).toHaveLength(1);
    expect(result.agentUpdates).toEqual([
      { ec2InstanceId: apiContainerInstance(1).ec2InstanceId, outcome: 'noUpdateAvailable' },
    ]);
    expect(published[0].values).toMatchObject({ AgentsBehindNewest: 2, AgentUpdatesStarted: 0, AgentUpdatesFailed: 0 });
  });

  it('never calls UpdateContainerAgent while an agent is disconnected', async () => {
    // GIVEN one agent behind and another disconnected
    givenCluster([
      apiContainerInstance(1, { versionInfo: { agentVersion: '1.80.0' } }),
      apiContainerInstance(2, { agentConnected: false }),
    ]);
    // WHEN / THEN
    await createAgentMonitorHandler(deps({ updateAgents: true }))(scheduled);
    expect(ecs.commandCalls(UpdateContainerAgentCommand)).toHaveLength(0);
  });

  it('ends a throttled run as "retry later" without notifying or throwing', async () => {
    // GIVEN ECS throttling
    ecs
      .on(ListContainerInstancesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN / THEN
    await expect(createAgentMonitorHandler(deps())(scheduled)).resolves.toMatchObject({ retryLater: true });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('rethrows unexpected errors so the Lambda Errors metric shows them', async () => {
    // GIVEN missing permissions
    ecs
      .on(ListContainerInstancesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // WHEN / THEN
    await expect(createAgentMonitorHandler(deps())(scheduled)).rejects.toThrow('denied');
  });

  it('ignores foreign events without any AWS call', async () => {
    // GIVEN an ECS task state change / WHEN handled
    const result = await createAgentMonitorHandler(deps())({
      source: 'aws.ecs',
      'detail-type': 'ECS Task State Change',
      detail: {},
    });
    // THEN
    expect(result.ignored).toMatch(/ECS Task State Change/);
    expect(ecs.calls()).toHaveLength(0);
    expect(routeMonitorEvent({})).toEqual({ run: true });
    expect(routeMonitorEvent(undefined)).toEqual({ run: true });
  });
});
