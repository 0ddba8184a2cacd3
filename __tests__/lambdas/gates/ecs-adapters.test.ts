import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ECSServiceException,
  ListTasksCommand,
  PutAttributesCommand,
} from '@aws-sdk/client-ecs';
import {
  findContainerInstances,
  lookupContainerInstances,
  putAttributes,
} from '../../../lambdas/gates/adapters/ecs-instances';
import { describeServices, describeTasks, listTaskArns } from '../../../lambdas/gates/adapters/ecs-tasks';
import { FakeWorld, fakeAws } from './helpers/fake-aws';
import { CLUSTER_ARN } from './helpers/gate-test-kit';

/** A cluster of 250 container instances running 1,000 tasks (4 each) of 25 services. */
function bigCluster(): FakeWorld {
  const world = new FakeWorld();
  for (let i = 0; i < 250; i++) {
    const id = `i-${String(i).padStart(8, '0')}`;
    world.addInstance(id, 'InService');
    const ci = world.register(id, { health: 'OK' });
    for (let t = 0; t < 4; t++) world.addTask(ci, `${id}-${t}`, { group: `service:svc-${(i * 4 + t) % 25}` });
  }
  for (let s = 0; s < 25; s++) world.addService(`svc-${s}`);
  return world;
}

describe('ECS adapters at cluster scale', () => {
  it('finds 250 container instances with 5 filtered list calls and 3 describe calls', async () => {
    // GIVEN 250 registered instances
    const world = bigCluster();
    const aws = fakeAws(world);
    // WHEN all of them are looked up by EC2 id
    const found = await findContainerInstances(aws.ecs, CLUSTER_ARN, [...world.instances.keys()]);
    // THEN ListContainerInstances runs once per 50 ids (filter `ec2InstanceId in [...]`)
    const lists = aws.ecsMock.commandCalls(ListContainerInstancesCommand).map((call) => call.args[0].input);
    expect(lists).toHaveLength(5);
    expect(lists.every((input) => (input.filter?.match(/'i-/g) ?? []).length === 50)).toBe(true);
    expect(lists[0].filter).toMatch(/^ec2InstanceId in \['i-00000000','i-00000001',/);
    // AND DescribeContainerInstances in batches of 100, 100, 50 with the health included
    const describes = aws.ecsMock.commandCalls(DescribeContainerInstancesCommand).map((call) => call.args[0].input);
    expect(describes.map((input) => input.containerInstances?.length)).toEqual([100, 100, 50]);
    expect(describes.every((input) => input.include?.includes('CONTAINER_INSTANCE_HEALTH'))).toBe(true);
    expect(found.size).toBe(250);
    expect(found.get('i-00000007')).toMatchObject({
      status: 'ACTIVE',
      healthStatus: 'OK',
      agentConnected: true,
      attributes: {},
    });
  });

  it('pages through 1,000 tasks on one instance and describes them in 10 batches of 100', async () => {
    // GIVEN one container instance with 1,000 running tasks and 5 stopped ones
    const world = new FakeWorld();
    world.addInstance('i-big', 'Terminating:Wait');
    const ci = world.register('i-big', { status: 'DRAINING' });
    for (let t = 0; t < 1000; t++) world.addTask(ci, `t${t}`, { group: 'service:web' });
    for (let t = 0; t < 5; t++) world.addTask(ci, `s${t}`, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
    const aws = fakeAws(world);
    // WHEN its tasks are listed and described
    const arns = await listTaskArns(aws.ecs, CLUSTER_ARN, ci.arn, ['RUNNING', 'STOPPED']);
    const tasks = await describeTasks(aws.ecs, CLUSTER_ARN, arns);
    // THEN ListTasks follows nextToken: 10 pages RUNNING + 1 page STOPPED, each with the containerInstance filter
    const lists = aws.ecsMock.commandCalls(ListTasksCommand).map((call) => call.args[0].input);
    expect(lists.map((input) => input.desiredStatus)).toEqual([...Array(10).fill('RUNNING'), 'STOPPED']);
    expect(lists.every((input) => input.containerInstance === ci.arn && input.maxResults === 100)).toBe(true);
    // AND DescribeTasks is called 11 times with at most 100 tasks each
    const sizes = aws.ecsMock.commandCalls(DescribeTasksCommand).map((call) => call.args[0].input.tasks?.length);
    expect(sizes).toEqual([...Array(10).fill(100), 5]);
    expect(tasks).toHaveLength(1005);
  });

  it('describes 25 services in batches of at most 10', async () => {
    const world = bigCluster();
    const aws = fakeAws(world);
    const services = await describeServices(
      aws.ecs,
      CLUSTER_ARN,
      world.services.map((s) => s.serviceName),
    );
    const sizes = aws.ecsMock.commandCalls(DescribeServicesCommand).map((call) => call.args[0].input.services?.length);
    expect(sizes).toEqual([10, 10, 5]);
    expect(services).toHaveLength(25);
    expect(services[0]).toEqual({
      name: 'svc-0',
      status: 'ACTIVE',
      schedulingStrategy: 'REPLICA',
      runningCount: 2,
      desiredCount: 2,
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
      deploymentController: undefined,
      taskSets: [],
      minimumHealthyPercent: undefined,
      maximumPercent: undefined,
      launchType: undefined,
      capacityProviders: [],
    });
  });

  it('skips ListContainerInstances for known ARNs and looks a stale (INACTIVE) one up again', async () => {
    // GIVEN 250 instances whose ARNs are known, one of them re-registered under a new ARN
    const world = bigCluster();
    const known = new Map(world.containerInstances.map((ci) => [ci.ec2InstanceId, ci.arn]));
    world.containerInstances[7].status = 'INACTIVE';
    world.register('i-00000007', { arn: 'arn:aws:ecs:us-west-2:123456789012:container-instance/prod/new-7' });
    const aws = fakeAws(world);
    // WHEN they are looked up with the known ARNs
    const found = await findContainerInstances(aws.ecs, CLUSTER_ARN, [...world.instances.keys()], known);
    // THEN 3 describes of the known ARNs, then 1 filtered list + 1 describe for the stale one only
    expect(aws.ecsMock.commandCalls(ListContainerInstancesCommand).map((c) => c.args[0].input.filter)).toEqual([
      "ec2InstanceId in ['i-00000007']",
    ]);
    expect(
      aws.ecsMock
        .commandCalls(DescribeContainerInstancesCommand)
        .map((c) => c.args[0].input.containerInstances?.length),
    ).toEqual([100, 100, 50, 1]);
    expect(found.get('i-00000007')?.arn).toMatch(/new-7$/);
    expect(found.size).toBe(250);
  });

  it('leaves only the ids of a throttled batch unknown', async () => {
    const world = bigCluster();
    const aws = fakeAws(world);
    const original = world.containerInstances.slice();
    aws.ecsMock
      .on(ListContainerInstancesCommand)
      .rejectsOnce(
        new ECSServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: {},
          message: 'Rate exceeded',
        }),
      )
      .callsFake((input) => {
        const ids = [...String(input.filter).matchAll(/'(i-[^']+)'/g)].map((m) => m[1]);
        return { containerInstanceArns: original.filter((ci) => ids.includes(ci.ec2InstanceId)).map((ci) => ci.arn) };
      });
    const { byEc2Id, throttled } = await lookupContainerInstances(aws.ecs, CLUSTER_ARN, [...world.instances.keys()]);
    expect(throttled.size).toBe(50);
    expect(byEc2Id.size).toBe(200);
    expect(throttled.has('i-00000000') && !byEc2Id.has('i-00000000')).toBe(true);
    await expect(findContainerInstances(aws.ecs, CLUSTER_ARN, ['i-00000000'])).resolves.toHaveProperty('size', 1);
  });
});

describe('putAttributes', () => {
  it('keeps recording the other instances of a batch when one already has its 10 custom attributes', async () => {
    // GIVEN three instances, the second carrying the 10 custom attributes ECS allows per resource
    const world = new FakeWorld();
    const arns = ['i-a', 'i-b', 'i-c'].map((id) => {
      world.addInstance(id, 'Terminating:Wait');
      return world.register(id, { status: 'DRAINING' }).arn;
    });
    for (let i = 0; i < 10; i++) world.containerInstances[1].attributes[`team.label-${i}`] = 'x';
    const aws = fakeAws(world);
    // WHEN 3 attributes each are written (9: one batch)
    const values = { 'ecs-ami-rollout.a': '1', 'ecs-ami-rollout.b': '2', 'ecs-ami-rollout.c': '3' };
    const full = await putAttributes(aws.ecs, CLUSTER_ARN, new Map(arns.map((arn) => [arn, values])));
    // THEN the failed batch is written again per instance: only the full one is left out, and reported
    expect(full).toEqual(new Set([arns[1]]));
    expect(world.containerInstances[0].attributes).toMatchObject(values);
    expect(world.containerInstances[2].attributes).toMatchObject(values);
    expect(aws.ecsMock.commandCalls(PutAttributesCommand).map((c) => c.args[0].input.attributes?.length)).toEqual([
      9, 3, 3, 3,
    ]);
  });
});
