/**
 * An in-memory AWS (Auto Scaling + ECS + EC2) behind aws-sdk-client-mock: real SDK clients whose `send` is answered
 * from a small world model, with pagination, batch limits and the lifecycle-action semantics the gates rely on.
 */
import {
  AutoScalingClient,
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTasksCommand,
  PutAttributesCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { GateDeps } from '../../../../lambdas/gates/deps';
import { GateConfig } from '../../../../lambdas/shared/config';
import { T0, recordingLogger, recordingMetrics } from './gate-test-kit';
import { installIamContractCheck } from '../../../support/aws-call-recorder';
import { referenceStack } from '../../../iam/support/contract';

// Every call the gates make in these tests must be allowed by their synthesized role policies. AWS's documented
// container-instance sample still carries a short (pre-2021) ARN from another account; a deployed event carries
// the long format of the cluster's own account.
const SAMPLE_CONTAINER_INSTANCE = 'arn:aws:ecs:us-east-1:111122223333:container-instance/';
const recordForIamContract = installIamContractCheck({
  region: 'us-west-2',
  account: '123456789012',
  stack: referenceStack,
  renames: [
    ['my-asg', 'prod-general'],
    [SAMPLE_CONTAINER_INSTANCE, 'arn:aws:ecs:us-west-2:123456789012:container-instance/prod/'],
  ],
});

export interface FakeInstance {
  asgName: string;
  lifecycleState: string;
  ec2State?: string;
  launchTime?: Date;
  imageId?: string;
}
export interface FakeContainerInstance {
  arn: string;
  ec2InstanceId: string;
  status: string;
  agentConnected: boolean;
  health?: string;
  attributes: Record<string, string>;
}
export interface FakeTask {
  taskArn: string;
  containerInstanceArn: string;
  lastStatus: string;
  desiredStatus: string;
  group?: string;
  startedBy?: string;
}
export interface FakeService {
  serviceName: string;
  status: string;
  schedulingStrategy: string;
  runningCount: number;
  desiredCount: number;
  deployments: { status: string; rolloutState?: string }[];
  deploymentConfiguration?: { minimumHealthyPercent?: number; maximumPercent?: number };
}

export class FakeWorld {
  instances = new Map<string, FakeInstance>();
  containerInstances: FakeContainerInstance[] = [];
  tasks: FakeTask[] = [];
  services: FakeService[] = [];

  addInstance(id: string, state: string, extra: Partial<FakeInstance> = {}): void {
    this.instances.set(id, {
      asgName: 'my-asg',
      lifecycleState: state,
      ec2State: 'running',
      launchTime: T0,
      imageId: 'ami-0aaa',
      ...extra,
    });
  }
  register(ec2InstanceId: string, extra: Partial<FakeContainerInstance> = {}): FakeContainerInstance {
    const ci = {
      arn: `arn:aws:ecs:us-west-2:123456789012:container-instance/prod/${ec2InstanceId}`,
      ec2InstanceId,
      status: 'ACTIVE',
      agentConnected: true,
      attributes: {},
      ...extra,
    };
    this.containerInstances.push(ci);
    return ci;
  }
  addTask(ci: FakeContainerInstance, id: string, extra: Partial<FakeTask> = {}): FakeTask {
    const task = {
      taskArn: `arn:aws:ecs:us-west-2:123456789012:task/prod/${id}`,
      containerInstanceArn: ci.arn,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      ...extra,
    };
    this.tasks.push(task);
    return task;
  }
  addService(name: string, extra: Partial<FakeService> = {}): FakeService {
    const service = {
      serviceName: name,
      status: 'ACTIVE',
      schedulingStrategy: 'REPLICA',
      runningCount: 2,
      desiredCount: 2,
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
      ...extra,
    };
    this.services.push(service);
    return service;
  }
}

function page<T>(items: T[], nextToken: string | undefined, size: number): { items: T[]; next?: string } {
  const start = nextToken ? Number(nextToken) : 0;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

function noActiveAction(instanceId: string): AutoScalingServiceException {
  return new AutoScalingServiceException({
    name: 'ValidationError',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `No active Lifecycle Action found with instance ID ${instanceId}`,
  });
}

function limit(operation: string, count: number, max: number): void {
  if (count > max) throw new Error(`${operation} called with ${count} items, AWS allows ${max}`);
}

/** Installs the world behind mocked clients. Returned mocks let tests count calls or inject errors. */
export function fakeAws(world: FakeWorld) {
  const ecs = new ECSClient({ region: 'us-west-2' });
  const autoScaling = new AutoScalingClient({ region: 'us-west-2' });
  const ec2 = new EC2Client({ region: 'us-west-2' });
  const ecsMock = mockClient(ecs);
  const asgMock = mockClient(autoScaling);
  const ec2Mock = mockClient(ec2);
  recordForIamContract('ECS', ecsMock);
  recordForIamContract('AutoScaling', asgMock);
  recordForIamContract('EC2', ec2Mock);

  asgMock.on(DescribeAutoScalingInstancesCommand).callsFake((input) => {
    limit('DescribeAutoScalingInstances', input.InstanceIds.length, 50);
    const found = (input.InstanceIds as string[]).filter((id) => world.instances.has(id));
    return {
      AutoScalingInstances: found.map((id) => ({
        InstanceId: id,
        AutoScalingGroupName: world.instances.get(id)!.asgName,
        LifecycleState: world.instances.get(id)!.lifecycleState,
      })),
    };
  });
  asgMock.on(DescribeAutoScalingGroupsCommand).callsFake((input) => {
    limit('DescribeAutoScalingGroups', input.AutoScalingGroupNames.length, 100);
    return {
      AutoScalingGroups: (input.AutoScalingGroupNames as string[]).map((name) => ({
        AutoScalingGroupName: name,
        Instances: [...world.instances]
          .filter(([, i]) => i.asgName === name)
          .map(([id, i]) => ({ InstanceId: id, LifecycleState: i.lifecycleState })),
      })),
    };
  });
  const lifecycleWrite = (
    input: { InstanceId?: string; LifecycleActionToken?: string },
    after?: (i: FakeInstance) => void,
  ) => {
    const id = input.InstanceId ?? [...world.instances.keys()][0];
    const instance = world.instances.get(id);
    if (!instance || !instance.lifecycleState.endsWith(':Wait')) throw noActiveAction(id);
    after?.(instance);
    return {};
  };
  asgMock.on(CompleteLifecycleActionCommand).callsFake((input) =>
    lifecycleWrite(input, (i) => {
      i.lifecycleState =
        i.lifecycleState === 'Pending:Wait'
          ? input.LifecycleActionResult === 'CONTINUE'
            ? 'InService'
            : 'Terminating'
          : 'Terminating:Proceed';
    }),
  );
  asgMock.on(RecordLifecycleActionHeartbeatCommand).callsFake((input) => lifecycleWrite(input));

  ec2Mock.on(DescribeInstancesCommand).callsFake((input) => {
    const ids: string[] = input.Filters[0].Values;
    return {
      Reservations: [
        {
          Instances: ids
            .filter((id) => world.instances.get(id)?.ec2State)
            .map((id) => {
              const i = world.instances.get(id)!;
              return { InstanceId: id, State: { Name: i.ec2State }, LaunchTime: i.launchTime, ImageId: i.imageId };
            }),
        },
      ],
    };
  });

  ecsMock.on(ListContainerInstancesCommand).callsFake((input) => {
    const ids = input.filter ? [...String(input.filter).matchAll(/'(i-[^']+)'/g)].map((m) => m[1]) : undefined;
    const matching = world.containerInstances.filter(
      (ci) => ci.status !== 'INACTIVE' && (!ids || ids.includes(ci.ec2InstanceId)),
    );
    const { items, next } = page(matching, input.nextToken, input.maxResults ?? 100);
    return { containerInstanceArns: items.map((ci) => ci.arn), nextToken: next };
  });
  ecsMock.on(DescribeContainerInstancesCommand).callsFake((input) => {
    limit('DescribeContainerInstances', input.containerInstances.length, 100);
    // Task counts as ECS reports them (API_ContainerInstance.html): RUNNING tasks and PENDING tasks only; a task
    // that is DEACTIVATING or STOPPING is in neither count, but still holds its CPU and memory until it is STOPPED.
    const on = (ci: FakeContainerInstance) => world.tasks.filter((t) => t.containerInstanceArn === ci.arn);
    const count = (ci: FakeContainerInstance, status: string) => on(ci).filter((t) => t.lastStatus === status).length;
    const placed = (ci: FakeContainerInstance) => on(ci).filter((t) => t.lastStatus !== 'STOPPED').length;
    const resources = (cpu: number, memory: number) => [
      { name: 'CPU', type: 'INTEGER', integerValue: cpu },
      { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
    ];
    return {
      containerInstances: world.containerInstances
        .filter((ci) => input.containerInstances.includes(ci.arn))
        .map((ci) => ({
          containerInstanceArn: ci.arn,
          ec2InstanceId: ci.ec2InstanceId,
          status: ci.status,
          agentConnected: ci.agentConnected,
          runningTasksCount: count(ci, 'RUNNING'),
          pendingTasksCount: count(ci, 'PENDING'),
          registeredResources: resources(2048, 8192),
          remainingResources: resources(2048 - 16 * placed(ci), 8192 - 64 * placed(ci)),
          healthStatus: ci.health ? { overallStatus: ci.health } : undefined,
          attributes: [
            { name: 'ecs.os-type', value: 'linux' },
            ...Object.entries(ci.attributes).map(([name, value]) => ({ name, value })),
          ],
        })),
    };
  });
  ecsMock.on(UpdateContainerInstancesStateCommand).callsFake((input) => {
    limit('UpdateContainerInstancesState', input.containerInstances.length, 10);
    world.containerInstances
      .filter((ci) => input.containerInstances.includes(ci.arn))
      .forEach((ci) => (ci.status = input.status));
    return {};
  });
  ecsMock.on(PutAttributesCommand).callsFake((input) => {
    limit('PutAttributes', input.attributes.length, 10);
    // "You can apply up to 10 custom attributes for each resource" (AttributeLimitExceededException): all or nothing.
    for (const attribute of input.attributes) {
      const ci = world.containerInstances.find((c) => c.arn === attribute.targetId);
      if (ci && !(attribute.name in ci.attributes) && Object.keys(ci.attributes).length >= 10) {
        throw Object.assign(new Error('You can apply up to 10 custom attributes for each resource.'), {
          name: 'AttributeLimitExceededException',
        });
      }
    }
    for (const attribute of input.attributes) {
      const ci = world.containerInstances.find((c) => c.arn === attribute.targetId);
      if (ci) ci.attributes[attribute.name] = attribute.value;
    }
    return {};
  });
  ecsMock.on(ListTasksCommand).callsFake((input) => {
    const matching = world.tasks.filter(
      (t) => t.containerInstanceArn === input.containerInstance && t.desiredStatus === input.desiredStatus,
    );
    const { items, next } = page(matching, input.nextToken, input.maxResults ?? 100);
    return { taskArns: items.map((t) => t.taskArn), nextToken: next };
  });
  ecsMock.on(DescribeTasksCommand).callsFake((input) => {
    limit('DescribeTasks', input.tasks.length, 100);
    const wanted = new Set(input.tasks as string[]);
    return { tasks: world.tasks.filter((t) => wanted.has(t.taskArn)) };
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input) => {
    limit('DescribeServices', input.services.length, 10);
    return { services: world.services.filter((s) => input.services.includes(s.serviceName)) };
  });
  ecsMock.on(StopTaskCommand).callsFake((input) => {
    const task = world.tasks.find((t) => t.taskArn === input.task);
    if (task) task.desiredStatus = 'STOPPED';
    return { task };
  });

  return { ecs, autoScaling, ec2, ecsMock, asgMock, ec2Mock };
}

export function fakeDeps(world: FakeWorld, config: GateConfig, now: Date) {
  const aws = fakeAws(world);
  const logger = recordingLogger();
  const metrics = recordingMetrics();
  const clock = { now };
  const deps: GateDeps = {
    ecs: aws.ecs,
    autoScaling: aws.autoScaling,
    ec2: aws.ec2,
    now: () => clock.now,
    config,
    logger,
    metrics,
  };
  return { ...aws, deps, logger, metrics, clock };
}
