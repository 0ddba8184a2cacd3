/**
 * The simulated ECS API's request limits against the ECS API Reference (each action's page: request sizes) and
 * "Request throttling for the Amazon ECS API" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/
 * request-throttling.html: token buckets per account and Region, shared by the actions of a category). One test per
 * ECS row of docs/aws-contract.md, "API rate limits".
 */
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  PutAttributesCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { bucketSelector } from '../../../sim/aws/api-buckets';
import { TIMINGS } from '../../../sim/timings';
import { World } from '../../../sim/world';
import { simCall } from './support/sim-call';

async function world(): Promise<World> {
  const w = new World({ seed: 5, shape: { instances: 3, daemon: false } });
  await w.bootstrap();
  return w;
}

const ids = (count: number, prefix: string): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe('ECS API request limits', () => {
  it('shares one bucket per category: task and instance reads, cluster writes, service reads', () => {
    const select = bucketSelector('ECS', TIMINGS);
    // THEN ListTasks, DescribeTasks and DescribeContainerInstances draw from the same cluster-resource read bucket
    expect(select('ListTasks', {}).key).toBe(select('DescribeTasks', {}).key);
    expect(select('DescribeContainerInstances', {}).key).toBe(select('ListContainerInstances', {}).key);
    expect(select('DescribeTasks', {}).spec).toEqual(TIMINGS.ecsClusterResourceReadBucket);
    // AND the writes and the service reads have buckets of their own
    expect(select('UpdateContainerInstancesState', {}).key).toBe(select('PutAttributes', {}).key);
    expect(select('PutAttributes', {}).key).not.toBe(select('DescribeTasks', {}).key);
    expect(select('DescribeServices', {}).key).not.toBe(select('DescribeTasks', {}).key);
  });

  it('rejects requests over the documented batch sizes (100 tasks or instances; 10 of the rest)', async () => {
    const w = await world();
    const ecs = w.clients.ecs;
    const cluster = w.clusterArn;
    const tooMany = [
      new DescribeTasksCommand({ cluster, tasks: ids(101, 'task') }),
      new DescribeContainerInstancesCommand({ cluster, containerInstances: ids(101, 'ci') }),
      new DescribeServicesCommand({ cluster, services: ids(11, 'service') }),
      new UpdateContainerInstancesStateCommand({ cluster, containerInstances: ids(11, 'ci'), status: 'DRAINING' }),
      new PutAttributesCommand({
        cluster,
        attributes: ids(11, 'name').map((name) => ({ name, value: 'x', targetType: 'container-instance' })),
      }),
      new ListTasksCommand({ cluster, maxResults: 101 }),
    ];
    for (const command of tooMany) {
      await expect(simCall(w, ecs, command)).rejects.toMatchObject({ name: 'InvalidParameterException' });
    }
  });

  it('sets several container instances DRAINING in one UpdateContainerInstancesState', async () => {
    const w = await world();
    const arns = [...w.ecs.instances.values()].map((ci) => ci.arn);
    const cluster = w.clusterArn;
    const out = (await simCall(
      w,
      w.clients.ecs,
      new UpdateContainerInstancesStateCommand({ cluster, containerInstances: arns, status: 'DRAINING' }),
    )) as { containerInstances: { status: string }[] };
    expect(out.containerInstances.map((ci) => ci.status)).toEqual(arns.map(() => 'DRAINING'));
  });
});
