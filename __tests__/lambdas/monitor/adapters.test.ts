/** Agent monitor adapters against aws-sdk-client-mock: pagination, batching, mapping, state, agent update outcomes. */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  MissingVersionException,
  NoUpdateAvailableException,
  UpdateContainerAgentCommand,
  UpdateInProgressException,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { clearApprovedAmiCache } from '../../../lambdas/gates/adapters/ec2';
import {
  asgMembership,
  describeAmis,
  describeContainerInstances,
  listContainerInstanceArns,
  loadState,
  resolveApprovedAmis,
  saveState,
  startAgentUpdate,
  toMonitoredInstance,
} from '../../../lambdas/monitor/adapters';
import { RetryLaterError } from '../../../lambdas/shared/aws-errors';
import { noopLogger, type GateLogger } from '../../../lambdas/shared/observability';
import { AMI_NEW, apiContainerInstance, CLUSTER_ARN, monitorConfig, NOW } from './fixtures';

const ecs = mockClient(ECSClient);
const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const arn = (n: number) => `${CLUSTER_ARN.replace(':cluster/', ':container-instance/')}/ci${n}`;

function recordingLogger(): GateLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (message: string, ...fields: Record<string, unknown>[]) =>
    lines.push(`${message} ${JSON.stringify(fields)}`);
  return { lines, debug: record, info: record, warn: record, error: record };
}

beforeEach(() => {
  ecs.reset();
  autoScaling.reset();
  ec2.reset();
  ssm.reset();
  clearApprovedAmiCache();
});

describe('container instances', () => {
  it('follows 3 pages of ListContainerInstances and describes 250 instances in exactly 3 batches', async () => {
    // GIVEN 250 container instances returned as pages of 100, 100 and 50
    const all = Array.from({ length: 250 }, (_, i) => arn(i));
    ecs
      .on(ListContainerInstancesCommand, { nextToken: undefined })
      .resolves({ containerInstanceArns: all.slice(0, 100), nextToken: 'p2' })
      .on(ListContainerInstancesCommand, { nextToken: 'p2' })
      .resolves({ containerInstanceArns: all.slice(100, 200), nextToken: 'p3' })
      .on(ListContainerInstancesCommand, { nextToken: 'p3' })
      .resolves({ containerInstanceArns: all.slice(200) });
    ecs.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
      containerInstances: input.containerInstances.map((ciArn, i) => ({
        ...apiContainerInstance(i),
        containerInstanceArn: ciArn,
        ec2InstanceId: `i-${i}`,
      })),
    }));
    // WHEN listing then describing
    const arns = await listContainerInstanceArns(ecs as unknown as ECSClient, 'prod');
    const instances = await describeContainerInstances(ecs as unknown as ECSClient, 'prod', arns, noopLogger);
    // THEN 3 list calls, 3 describe calls of ≤ 100 with instance health included
    expect(arns).toEqual(all);
    expect(ecs.commandCalls(ListContainerInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'prod', maxResults: 100, nextToken: undefined },
      { cluster: 'prod', maxResults: 100, nextToken: 'p2' },
      { cluster: 'prod', maxResults: 100, nextToken: 'p3' },
    ]);
    const describes = ecs.commandCalls(DescribeContainerInstancesCommand).map((c) => c.args[0].input);
    expect(describes.map((input) => input.containerInstances?.length)).toEqual([100, 100, 50]);
    expect(describes.every((input) => input.include?.includes('CONTAINER_INSTANCE_HEALTH'))).toBe(true);
    expect(instances).toHaveLength(250);
  });

  it('maps attributes and keeps agentConnected a boolean', () => {
    // GIVEN a disconnected instance (boolean false) with a FAILED update and IMPAIRED health
    const view = toMonitoredInstance(
      apiContainerInstance(1, {
        agentConnected: false,
        agentUpdateStatus: 'FAILED',
        healthStatus: { overallStatus: 'IMPAIRED' },
      }),
    );
    // WHEN / THEN
    expect(view).toMatchObject({
      agentConnected: false,
      agentUpdateStatus: 'FAILED',
      healthStatus: 'IMPAIRED',
      amiId: AMI_NEW,
      osType: 'linux',
      cpuArchitecture: 'x86_64',
      agentVersion: '1.89.1',
    });
    // AND a malformed string value is "unknown", never "disconnected"
    const malformed = { ...apiContainerInstance(2), agentConnected: 'False' as unknown as boolean };
    expect(toMonitoredInstance(malformed)?.agentConnected).toBeUndefined();
  });

  it('turns a throttled ListContainerInstances into RetryLaterError', async () => {
    // GIVEN throttling
    ecs
      .on(ListContainerInstancesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN / THEN
    await expect(listContainerInstanceArns(ecs as unknown as ECSClient, 'prod')).rejects.toBeInstanceOf(
      RetryLaterError,
    );
  });
});

describe('node groups and AMIs', () => {
  it('maps instances to node groups through paginated DescribeAutoScalingGroups in batches of 50 names', async () => {
    // GIVEN 60 node groups; the first batch answers in two pages
    const groups = Array.from({ length: 60 }, (_, i) => ({ name: `g${i}`, asgName: `asg-${i}` }));
    autoScaling
      .on(DescribeAutoScalingGroupsCommand, { NextToken: undefined })
      .callsFake((input: { AutoScalingGroupNames: string[] }) => ({
        AutoScalingGroups: [
          {
            AutoScalingGroupName: input.AutoScalingGroupNames[0],
            Instances: [{ InstanceId: `i-${input.AutoScalingGroupNames[0]}` }],
          },
        ],
        NextToken: input.AutoScalingGroupNames.length === 50 ? 'more' : undefined,
      }))
      .on(DescribeAutoScalingGroupsCommand, { NextToken: 'more' })
      .resolves({
        AutoScalingGroups: [{ AutoScalingGroupName: 'asg-7', Instances: [{ InstanceId: 'i-7' }] } as never],
      });
    // WHEN
    const membership = await asgMembership(autoScaling as unknown as AutoScalingClient, groups);
    // THEN 3 calls (50 names + next page, then 10 names) and the members mapped to node group names
    const calls = autoScaling.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input);
    expect(calls.map((input) => [input.AutoScalingGroupNames?.length, input.NextToken])).toEqual([
      [50, undefined],
      [50, 'more'],
      [10, undefined],
    ]);
    expect(Object.fromEntries(membership)).toEqual({ 'i-asg-0': 'g0', 'i-7': 'g7', 'i-asg-50': 'g50' });
  });

  it('describes AMIs by image-id filter (deregistered ids are simply absent), deduplicated and batched', async () => {
    // GIVEN 150 distinct AMI ids (plus a duplicate and junk)
    const ids = Array.from({ length: 150 }, (_, i) => `ami-${i.toString(16).padStart(17, '0')}`);
    ec2.on(DescribeImagesCommand).callsFake((input: { Filters: Array<{ Values: string[] }> }) => ({
      Images: input.Filters[0].Values.slice(1).map((id) => ({
        ImageId: id,
        Name: `name-${id}`,
        CreationDate: '2025-01-01T00:00:00.000Z',
      })),
    }));
    // WHEN
    const facts = await describeAmis(ec2 as unknown as EC2Client, [...ids, ids[0], 'unknown']);
    // THEN 2 calls of 100 + 50 filter values, deprecated AMIs included, first of each batch "deregistered"
    const calls = ec2.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input);
    expect(calls.map((input) => input.Filters?.[0])).toEqual([
      { Name: 'image-id', Values: ids.slice(0, 100) },
      { Name: 'image-id', Values: ids.slice(100) },
    ]);
    expect(calls.every((input) => input.IncludeDeprecated === true)).toBe(true);
    expect(Object.keys(facts)).toHaveLength(148);
    expect(facts[ids[1]]).toEqual({
      imageId: ids[1],
      name: `name-${ids[1]}`,
      creationDate: '2025-01-01T00:00:00.000Z',
    });
  });

  it('resolves approved AMIs from config, plain and JSON parameters; tolerates an unreadable parameter', async () => {
    // GIVEN web has an id, batch a JSON parameter, api a missing parameter
    const config = monitorConfig({
      nodeGroups: [
        { name: 'web', asgName: 'a', approvedAmiId: AMI_NEW },
        { name: 'batch', asgName: 'b', approvedAmiParameter: '/p/batch' },
        { name: 'api', asgName: 'c', approvedAmiParameter: '/p/api' },
      ],
    });
    ssm
      .on(GetParameterCommand, { Name: '/p/batch' })
      .resolves({ Parameter: { Value: JSON.stringify({ image_id: 'ami-0123', image_name: 'x' }) } })
      .on(GetParameterCommand, { Name: '/p/api' })
      .rejects(new ParameterNotFound({ message: 'nope', $metadata: {} }));
    const logger = recordingLogger();
    // WHEN
    const approved = await resolveApprovedAmis(ssm as unknown as SSMClient, config.nodeGroups, NOW, logger);
    // THEN
    expect(approved).toEqual({ web: AMI_NEW, batch: 'ami-0123', api: undefined });
    expect(logger.lines.join('\n')).toMatch(/approved AMI parameter unreadable.*ParameterNotFound/);
  });
});

describe('state parameter', () => {
  it('treats a missing parameter as a first run and garbage as empty state', async () => {
    // GIVEN first a missing parameter, then one with garbage
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new ParameterNotFound({ message: 'x', $metadata: {} }))
      .resolves({ Parameter: { Value: '{oops' } });
    const logger = recordingLogger();
    // WHEN / THEN
    expect(await loadState(ssm as unknown as SSMClient, '/s', logger)).toBeUndefined();
    expect(await loadState(ssm as unknown as SSMClient, '/s', logger)).toBeUndefined();
    expect(logger.lines.join('\n')).toMatch(/unreadable/);
  });

  it('round-trips the digest through an overwritten String parameter', async () => {
    // GIVEN a state
    const state = { v: 1 as const, at: NOW.toISOString(), f: { disconnected: 'abc123def456' } };
    ssm.on(PutParameterCommand).resolves({});
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(state) } });
    // WHEN saving then loading
    await saveState(ssm as unknown as SSMClient, '/s', state);
    const loaded = await loadState(ssm as unknown as SSMClient, '/s', noopLogger);
    // THEN
    expect(ssm.commandCalls(PutParameterCommand)[0].args[0].input).toEqual({
      Name: '/s',
      Value: JSON.stringify(state),
      Type: 'String',
      Overwrite: true,
      Tier: 'Standard',
    });
    expect(loaded).toEqual(state);
  });
});

describe('UpdateContainerAgent outcomes', () => {
  const meta = { message: 'x', $metadata: {} };
  it.each([
    ['NoUpdateAvailableException', new NoUpdateAvailableException(meta), 'noUpdateAvailable'],
    ['UpdateInProgressException', new UpdateInProgressException(meta), 'updateInProgress'],
    ['MissingVersionException', new MissingVersionException(meta), 'missingVersion'],
    ['ThrottlingException', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), 'throttled'],
    ['AccessDeniedException', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }), 'failed'],
  ])('%s is an outcome, not a thrown error', async (_name, error, outcome) => {
    // GIVEN the API answering with the exception
    ecs.on(UpdateContainerAgentCommand).rejects(error);
    // WHEN / THEN
    await expect(startAgentUpdate(ecs as unknown as ECSClient, CLUSTER_ARN, arn(1))).resolves.toMatchObject({
      outcome,
    });
  });

  it('starts an update with the cluster and container instance', async () => {
    // GIVEN success
    ecs.on(UpdateContainerAgentCommand).resolves({});
    // WHEN / THEN
    await expect(startAgentUpdate(ecs as unknown as ECSClient, CLUSTER_ARN, arn(1))).resolves.toEqual({
      outcome: 'started',
    });
    expect(ecs.commandCalls(UpdateContainerAgentCommand)[0].args[0].input).toEqual({
      cluster: CLUSTER_ARN,
      containerInstance: arn(1),
    });
  });
});
