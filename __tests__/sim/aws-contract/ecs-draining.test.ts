/**
 * The simulated ECS service scheduler and events against "Draining Amazon ECS container instances"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html), the service
 * definition's deploymentConfiguration (service_definition_parameters.html), daemon services (ecs_services.html) and
 * "Amazon ECS events" (ecs_cwe_events.html, ecs_container_instance_events.html). One test per row of
 * docs/aws-contract.md, "ECS — container instances, tasks, draining, services".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceHeadroom } from '../../../lambdas/shared/service-headroom';
import type { BusEvent } from '../../../sim/aws/eventbridge';
import type { ContainerInstance, Service, Task } from '../../../sim/aws/ecs-types';
import { World, type ClusterShape } from '../../../sim/world';

async function world(shape: Partial<ClusterShape> = {}): Promise<World> {
  const w = new World({ seed: 21, shape: { instances: 3, tasksPerService: 3, serviceTasksPerInstance: 2, ...shape } });
  await w.bootstrap();
  return w;
}

const instances = (w: World): ContainerInstance[] => [...w.ecs.instances.values()];
const replicas = (ci: ContainerInstance): Task[] => [...ci.tasks].filter((task) => task.kind === 'replica');
const live = (task: Task): boolean => task.lastStatus !== 'STOPPED';

/** Runs the simulation second by second, calling `check` after each step. */
async function runWatching(w: World, seconds: number, check: () => void): Promise<void> {
  // sim.run(t) stops at the last event before t (it does not move the clock to t): step by target time.
  const start = w.sim.now;
  for (let t = start + 1; t <= start + seconds; t++) {
    await w.sim.run(t);
    check();
  }
}

describe('ECS draining and the service scheduler', () => {
  it('places no new task on a DRAINING container instance', async () => {
    const w = await world();
    const [draining, other] = instances(w);
    w.ecs.setStatus(draining, 'DRAINING');
    const drainedAt = w.sim.now;
    // WHEN a task elsewhere fails and the scheduler replaces it, for ten minutes
    const failed = replicas(other).find(live) as Task;
    w.ecs.stopTask(failed, 'EssentialContainerExited', 'crash');
    await w.sim.run(w.sim.now + 600);
    // THEN nothing was placed on the draining instance
    expect([...draining.tasks].filter((task) => task.createdAt > drainedAt)).toEqual([]);
  });

  it('replaces RUNNING service tasks within the deployment configuration (100 % / 200 %: start first)', async () => {
    const w = await world();
    const [draining] = instances(w);
    const services = [...new Set(replicas(draining).map((task) => task.service as Service))];
    const healthy = (service: Service) =>
      [...service.tasks].filter((task) => task.healthy && task.desiredStatus === 'RUNNING').length;
    let lowest = Number.POSITIVE_INFINITY;
    w.ecs.setStatus(draining, 'DRAINING');
    await runWatching(w, 900, () => {
      for (const service of services) lowest = Math.min(lowest, healthy(service) / service.desiredCount);
    });
    // THEN every service kept 100 % of its desired count healthy, and the instance's service tasks all moved
    expect(lowest).toBeGreaterThanOrEqual(1);
    expect(replicas(draining).filter(live)).toEqual([]);
    for (const service of services) expect(healthy(service)).toBe(service.desiredCount);
  });

  it('stops a PENDING service task on a DRAINING instance at once', async () => {
    const w = await world();
    const [draining] = instances(w);
    const service = replicas(draining)[0].service as Service;
    const placed = w.ecs.startTask(draining, 'replica', service);
    w.ecs.setStatus(draining, 'DRAINING');
    await w.sim.run(w.sim.now + 30);
    expect(placed.startedAt).toBeUndefined();
    expect(placed.lastStatus).toBe('STOPPED');
  });

  it('leaves standalone tasks on a DRAINING instance alone', async () => {
    const w = await world();
    const [draining] = instances(w);
    const job = w.ecs.startTask(draining, 'standalone', undefined, 'nightly-report');
    w.ecs.setStatus(draining, 'DRAINING');
    await w.sim.run(w.sim.now + 1800);
    expect(job).toMatchObject({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' });
  });

  it('stops the daemon task of a DRAINING instance only after every other task there stopped', async () => {
    const w = await world({ daemon: true });
    const [draining] = instances(w);
    const daemon = [...draining.tasks].find((task) => task.kind === 'daemon') as Task;
    w.ecs.setStatus(draining, 'DRAINING');
    await w.sim.run(w.sim.now + 900);
    const lastReplicaStop = Math.max(...replicas(draining).map((task) => task.stoppedAt as number));
    expect(daemon.lastStatus).toBe('STOPPED');
    expect(daemon.stoppingAt as number).toBeGreaterThanOrEqual(lastReplicaStop);
  });

  it('never moves the task of a service without headroom (desired 1, 100 % / 150 %)', async () => {
    const w = await world({ servicesWithoutHeadroom: 1 });
    const singleton = w.ecs.services.get('singleton-1') as Service;
    const shape = {
      name: singleton.name,
      schedulingStrategy: singleton.strategy,
      desiredCount: 1,
      minimumHealthyPercent: 100,
      maximumPercent: 150,
    };
    expect(serviceHeadroom(shape).verdict).toBe('no-headroom');
    const task = [...singleton.tasks].find(live) as Task;
    w.ecs.setStatus(task.ci, 'DRAINING');
    await w.sim.run(w.sim.now + 3600);
    // THEN ECS neither started a second task (above 150 % of 1) nor stopped this one (below 100 %)
    expect(task).toMatchObject({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' });
    expect([...singleton.tasks].filter(live)).toHaveLength(1);
  });
});

describe('ECS events', () => {
  const documented = (file: string): string[] =>
    Object.keys(
      (
        JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'aws-events', file), 'utf8')) as {
          detail: Record<string, unknown>;
        }
      ).detail,
    ).sort();

  async function capture(): Promise<{ w: World; events: BusEvent[] }> {
    const w = await world();
    const events: BusEvent[] = [];
    w.bus.addRule({ name: 'ecs', matches: (e) => e.source === 'aws.ecs', target: (e) => void events.push(e) });
    return { w, events };
  }

  it(
    'emits a Container Instance State Change on status changes and task starts and stops, ' + 'without task counts',
    async () => {
      const { w, events } = await capture();
      const [draining] = instances(w);
      w.ecs.setStatus(draining, 'DRAINING');
      await w.sim.run(w.sim.now + 900);
      const changes = events.filter(
        (e) => e['detail-type'] === 'ECS Container Instance State Change' && e.resources[0] === draining.arn,
      );
      // THEN one for the status change, and more as its tasks stopped (remaining resources grew back)
      expect(changes.length).toBeGreaterThan(replicas(draining).length);
      expect(changes[0].detail).toMatchObject({ status: 'DRAINING', containerInstanceArn: draining.arn });
      // AND each carries exactly the fields of AWS's documented sample: no runningTasksCount / pendingTasksCount
      for (const change of changes) {
        expect(Object.keys(change.detail).sort()).toEqual(documented('ecs-container-instance-state-change.json'));
      }
    },
  );

  it('emits a Task State Change on every task status change', async () => {
    const { w, events } = await capture();
    const task = replicas(instances(w)[0]).find(live) as Task;
    w.ecs.stopTask(task, 'UserInitiated', 'test');
    await w.sim.run(w.sim.now + 300);
    const statuses = events
      .filter((e) => e['detail-type'] === 'ECS Task State Change' && e.resources[0] === task.arn)
      .map((e) => (e.detail as { lastStatus: string }).lastStatus);
    expect(statuses).toEqual(['DEACTIVATING', 'STOPPING', 'STOPPED']);
  });
});
