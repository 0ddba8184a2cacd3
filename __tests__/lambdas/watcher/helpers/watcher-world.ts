/**
 * An in-memory AWS (SSM Parameter Store, Auto Scaling, EC2, SNS) behind aws-sdk-client-mock: real SDK clients whose
 * `send` is answered from a small world model, including SSM's asynchronous `aws:ec2:image` validation (writes can be
 * held back until `validate()`), DescribeInstanceRefreshes (newest first) and terminations into Terminating:Wait.
 */
import {
  AutoScalingClient,
  AutoScalingServiceException,
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { WatcherConfig } from '../../../../lambdas/watcher/config';
import { WatcherDeps, PipelinePayload } from '../../../../lambdas/watcher/deps';
import { createNotifier } from '../../../../lambdas/shared/notifier';
import { APPROVED, ASG, AMI_CUR, GITOPS_ASG, PREVIOUS, T0, recordingLogger } from './watcher-kit';
import { installIamContractCheck } from '../../../support/aws-call-recorder';
import { watcherReferenceStack } from '../../../iam/support/contract';

// Every call the watcher makes in these tests must be allowed by its synthesized role policy.
const instanceGroups = new Map<string, string>();
const recordForIamContract = installIamContractCheck({
  region: 'us-west-2',
  account: '123456789012',
  stack: watcherReferenceStack,
  renames: [['arn:aws:sns:us-west-2:123456789012:ops', 'arn:aws:sns:us-west-2:123456789012:prod-ecs-ami-rollout']],
  groupOfInstance: (id) => instanceGroups.get(id),
});

export interface FakeParameter {
  value: string;
  type: string;
  dataType?: string;
}

export interface FakeAsgInstance {
  id: string;
  state: string;
  imageId: string;
}

export interface FakeRefresh {
  id: string;
  status: string;
  preferences?: unknown;
  startTime?: Date;
  statusReason?: string;
}

/** A scaling activity as DescribeScalingActivities returns it (newest first). */
export interface FakeActivity {
  ActivityId: string;
  Description: string;
  Cause: string;
  StartTime: Date;
  EndTime?: Date;
  StatusCode: string;
  StatusMessage?: string;
}

export class WatcherWorld {
  parameters = new Map<string, FakeParameter>();
  /** aws:ec2:image writes waiting for SSM's asynchronous validation (applied by `validate()`). */
  heldWrites: Array<{ name: string; parameter: FakeParameter }> = [];
  holdImageWrites = false;
  images = new Map<string, { name: string; created: Date }>();
  groups = new Map<
    string,
    { desired: number; instances: FakeAsgInstance[]; refreshes: FakeRefresh[]; activities: FakeActivity[] }
  >();
  private nextRefresh = 1;
  /** The cluster's services as DescribeServices returns them (the drain-headroom check reads them). */
  services: Array<Record<string, unknown> & { serviceName: string }> = [];
  /** The test clock (set by fakeDeps): StartInstanceRefresh records it as the refresh's StartTime. */
  clock: () => Date = () => T0;

  constructor() {
    this.groups.set(ASG, { desired: 0, instances: [], refreshes: [], activities: [] });
    this.groups.set(GITOPS_ASG, { desired: 0, instances: [], refreshes: [], activities: [] });
  }

  param(name: string, value: string, type = 'String', dataType?: string): this {
    this.parameters.set(name, { value, type, dataType });
    return this;
  }
  value(name: string): string | undefined {
    return this.parameters.get(name)?.value;
  }
  image(id: string, created: Date, name = `al2023-ami-ecs-hvm-${id}`): this {
    this.images.set(id, { name, created });
    return this;
  }
  /** `count` InService instances on `imageId` (ids i-<prefix>0…). */
  fleet(asg: string, imageId: string, count: number, prefix = 'a'): this {
    const group = this.groups.get(asg)!;
    for (let i = 0; i < count; i++)
      group.instances.push({ id: `i-0${prefix}${String(i).padStart(15, '0')}`, state: 'InService', imageId });
    group.desired = group.instances.length;
    return this;
  }
  refresh(asg: string, id: string, status: string, startTime?: Date): this {
    this.groups.get(asg)!.refreshes.unshift({ id, status, startTime });
    return this;
  }
  /**
   * A launch the launch gate abandoned, recorded as Auto Scaling records it: the launch activity ends `Cancelled`
   * with the lifecycle-action ABANDON message (see sim/aws/autoscaling.ts for the source of that shape).
   */
  abandonedLaunch(asg: string, instanceId: string, at: Date): this {
    const activities = this.groups.get(asg)!.activities;
    activities.unshift({
      ActivityId: `act-${activities.length + 1}`,
      Description: `Launching a new EC2 instance: ${instanceId}`,
      Cause: `At ${at.toISOString()} an instance was launched in response to an instance refresh.`,
      StartTime: at,
      EndTime: new Date(at.getTime() + 600_000),
      StatusCode: 'Cancelled',
      StatusMessage:
        "Instance failed to complete user's Lifecycle Action: Lifecycle Action with token 0000 was abandoned: " +
        'Lifecycle Action Completed with ABANDON Result',
    });
    return this;
  }
  instances(asg: string): FakeAsgInstance[] {
    return this.groups.get(asg)!.instances;
  }
  /** SSM finished validating the held aws:ec2:image writes. */
  validate(): void {
    for (const write of this.heldWrites) this.parameters.set(write.name, write.parameter);
    this.heldWrites = [];
  }

  /** The standard auto-mode world: approved = AMI_CUR, previous = AMI_CUR, 4 instances on AMI_CUR. */
  static auto(): WatcherWorld {
    return new WatcherWorld()
      .param(APPROVED, AMI_CUR, 'String', 'aws:ec2:image')
      .param(PREVIOUS, AMI_CUR, 'String', 'aws:ec2:image')
      .fleet(ASG, AMI_CUR, 4);
  }

  getParameter(name: string) {
    const parameter = this.parameters.get(name);
    if (!parameter) throw new ParameterNotFound({ $metadata: {}, message: `Parameter ${name} not found.` });
    return {
      Parameter: { Name: name, Value: parameter.value, Type: parameter.type, DataType: parameter.dataType ?? 'text' },
    };
  }
  putParameter(input: { Name?: string; Value?: string; Type?: string; DataType?: string; Overwrite?: boolean }) {
    const parameter = { value: input.Value as string, type: input.Type ?? 'String', dataType: input.DataType };
    if (input.DataType === 'aws:ec2:image' && this.holdImageWrites)
      this.heldWrites.push({ name: input.Name as string, parameter });
    else this.parameters.set(input.Name as string, parameter);
    return { Version: 1 };
  }
  startRefresh(asg: string, preferences: unknown) {
    const group = this.groups.get(asg)!;
    if (
      group.refreshes.some((r) =>
        ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'].includes(r.status),
      )
    ) {
      throw new AutoScalingServiceException({
        name: 'InstanceRefreshInProgressFault',
        $fault: 'client',
        $metadata: {},
        message: 'An Instance Refresh is already in progress',
      });
    }
    const id = `refresh-${this.nextRefresh++}`;
    group.refreshes.unshift({ id, status: 'InProgress', preferences, startTime: this.clock() });
    return { InstanceRefreshId: id };
  }
  cancelRefresh(asg: string) {
    const active = this.groups.get(asg)!.refreshes.find((r) => ['Pending', 'InProgress', 'Baking'].includes(r.status));
    if (!active) {
      throw new AutoScalingServiceException({
        name: 'ActiveInstanceRefreshNotFoundFault',
        $fault: 'client',
        $metadata: {},
        message: 'No in progress or pending Instance Refresh found',
      });
    }
    active.status = 'Cancelling';
    return { InstanceRefreshId: active.id };
  }
  terminate(instanceId: string) {
    for (const group of this.groups.values()) {
      const instance = group.instances.find((i) => i.id === instanceId && i.state === 'InService');
      if (instance) {
        instance.state = 'Terminating:Wait';
        return { Activity: { ActivityId: `act-${instanceId}`, StatusCode: 'InProgress' } };
      }
    }
    throw new AutoScalingServiceException({
      name: 'ValidationError',
      $fault: 'client',
      $metadata: {},
      message: 'Instance Id not found',
    });
  }
}

function filterValues(filters: Array<{ Name?: string; Values?: string[] }> | undefined, name: string): string[] {
  return filters?.find((f) => f.Name === name)?.Values ?? [];
}

export interface FakePipeline {
  payloads: PipelinePayload[];
  post(payload: PipelinePayload): Promise<'sent'>;
}

/** Deps backed by the world; the real shared notifier publishes to a mocked SNS topic (its dedupe is exercised too). */
export function fakeDeps(world: WatcherWorld, config: WatcherConfig, now: Date = T0) {
  const ssm = new SSMClient({ region: 'us-west-2' });
  const autoScaling = new AutoScalingClient({ region: 'us-west-2' });
  const ec2 = new EC2Client({ region: 'us-west-2' });
  const sns = new SNSClient({ region: 'us-west-2' });
  const ecs = new ECSClient({ region: 'us-west-2' });
  const ecsMock = mockClient(ecs);
  ecsMock.on(ListServicesCommand).callsFake(() => ({
    serviceArns: world.services.map((s) => `arn:aws:ecs:us-west-2:123456789012:service/prod/${s.serviceName}`),
  }));
  ecsMock.on(DescribeServicesCommand).callsFake((input) => ({
    services: world.services.filter((s) =>
      (input.services as string[]).some((ref) => ref.endsWith(`/${s.serviceName}`)),
    ),
  }));
  const ssmMock = mockClient(ssm);
  const asgMock = mockClient(autoScaling);
  const ec2Mock = mockClient(ec2);
  const snsMock = mockClient(sns);
  recordForIamContract('SSM', ssmMock);
  recordForIamContract('AutoScaling', asgMock);
  recordForIamContract('EC2', ec2Mock);
  recordForIamContract('SNS', snsMock);

  ssmMock.on(GetParameterCommand).callsFake((input) => world.getParameter(input.Name));
  ssmMock.on(PutParameterCommand).callsFake((input) => world.putParameter(input));
  asgMock.on(DescribeAutoScalingGroupsCommand).callsFake((input) => ({
    AutoScalingGroups: (input.AutoScalingGroupNames ?? [])
      .filter((name: string) => world.groups.has(name))
      .map((name: string) => {
        const group = world.groups.get(name)!;
        return {
          AutoScalingGroupName: name,
          DesiredCapacity: group.desired,
          Instances: group.instances.map((i) => ({ InstanceId: i.id, LifecycleState: i.state })),
        };
      }),
  }));
  asgMock.on(DescribeInstanceRefreshesCommand).callsFake((input) => {
    const refreshes = world.groups.get(input.AutoScalingGroupName)?.refreshes ?? [];
    const ids: string[] | undefined = input.InstanceRefreshIds;
    return {
      InstanceRefreshes: refreshes
        .filter((r) => !ids || ids.includes(r.id))
        .map((r) => ({
          InstanceRefreshId: r.id,
          Status: r.status,
          StatusReason: r.statusReason,
          StartTime: r.startTime,
          AutoScalingGroupName: input.AutoScalingGroupName,
        })),
    };
  });
  asgMock.on(DescribeScalingActivitiesCommand).callsFake((input) => ({
    Activities: (world.groups.get(input.AutoScalingGroupName)?.activities ?? []).map((a) => ({
      ...a,
      AutoScalingGroupName: input.AutoScalingGroupName,
      Progress: a.EndTime ? 100 : 50,
    })),
  }));
  asgMock.on(CancelInstanceRefreshCommand).callsFake((input) => world.cancelRefresh(input.AutoScalingGroupName));
  asgMock
    .on(StartInstanceRefreshCommand)
    .callsFake((input) => world.startRefresh(input.AutoScalingGroupName, input.Preferences));
  asgMock.on(TerminateInstanceInAutoScalingGroupCommand).callsFake((input) => {
    for (const [name, group] of world.groups)
      if (group.instances.some((i) => i.id === input.InstanceId)) instanceGroups.set(input.InstanceId, name);
    return world.terminate(input.InstanceId);
  });
  ec2Mock.on(DescribeInstancesCommand).callsFake((input) => {
    const ids = filterValues(input.Filters, 'instance-id');
    const all = [...world.groups.values()].flatMap((g) => g.instances).filter((i) => ids.includes(i.id));
    return { Reservations: [{ Instances: all.map((i) => ({ InstanceId: i.id, ImageId: i.imageId })) }] };
  });
  ec2Mock.on(DescribeImagesCommand).callsFake((input) => {
    const ids = filterValues(input.Filters, 'image-id');
    return {
      Images: ids
        .filter((id) => world.images.has(id))
        .map((id) => ({
          ImageId: id,
          Name: world.images.get(id)!.name,
          CreationDate: world.images.get(id)!.created.toISOString(),
        })),
    };
  });
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });

  const logger = recordingLogger();
  const clock = { now };
  world.clock = () => clock.now;
  const notifier = createNotifier({
    logger,
    sns,
    topicArn: 'arn:aws:sns:us-west-2:123456789012:ops',
    now: () => clock.now,
  });
  const pipeline: FakePipeline = {
    payloads: [],
    async post(payload) {
      this.payloads.push(payload);
      return 'sent';
    },
  };
  const deps: WatcherDeps = { ssm, autoScaling, ec2, ecs, now: () => clock.now, config, logger, notifier, pipeline };
  /** Published notifications as `[SEVERITY] cluster/group: full title` (the SNS subject may be truncated), in order. */
  const published = () =>
    snsMock.commandCalls(PublishCommand).map((call) => {
      const { Subject, Message } = call.args[0].input as { Subject: string; Message: string };
      return `${Subject.slice(0, Subject.indexOf(': ') + 2)}${Message.split('\n')[0]}`;
    });
  const puts = () => ssmMock.commandCalls(PutParameterCommand).map((call) => call.args[0].input);
  return { deps, logger, clock, pipeline, ssmMock, asgMock, ec2Mock, ecsMock, snsMock, published, puts };
}
