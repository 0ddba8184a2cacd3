import { DescribeServicesCommand, ListTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import { World } from '../../sim/world';
import { NO_FAULTS } from '../../sim/faults';

async function world(overrides = {}): Promise<World> {
  const w = new World({ seed: 9, shape: { instances: 2 }, faults: { ...NO_FAULTS, ...overrides } });
  await w.bootstrap();
  return w;
}

/** Runs a fake client call to completion on the virtual clock. */
async function call<T>(w: World, promise: Promise<T>): Promise<T> {
  let outcome: { value?: T; error?: unknown; done: boolean } = { done: false };
  void promise.then(
    (value) => (outcome = { value, done: true }),
    (error: unknown) => (outcome = { error, done: true }),
  );
  await w.sim.run(w.sim.now + 60, () => outcome.done);
  if (outcome.error !== undefined) throw outcome.error;
  return outcome.value as T;
}

describe('fake AWS clients', () => {
  it('answers with AWS shapes and pages', async () => {
    // GIVEN a bootstrapped cluster
    const w = await world();
    // WHEN listing tasks one per page
    const page = await call(w, w.clients.ecs.send(new ListTasksCommand({ cluster: w.clusterName, maxResults: 1 })));
    // THEN one ARN comes back with a nextToken, and SDK metadata
    expect(page.taskArns).toHaveLength(1);
    expect(page.nextToken).toBeDefined();
    expect(page.$metadata.httpStatusCode).toBe(200);
  });

  it('enforces batch limits and throws loudly for commands it does not simulate', async () => {
    const w = await world();
    // WHEN DescribeServices gets 11 names
    const tooMany = Array.from({ length: 11 }, (_, i) => `svc-${i}`);
    // THEN ECS's InvalidParameterException is raised
    await expect(
      call(w, w.clients.ecs.send(new DescribeServicesCommand({ cluster: w.clusterName, services: tooMany }))),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    // AND an unknown command names itself
    await expect(w.clients.ecs.send(new RunTaskCommand({ taskDefinition: 'x' }))).rejects.toThrow(
      /ECS\.RunTaskCommand is not simulated/,
    );
  });

  it('answers CompleteLifecycleAction without an action with the real ValidationError', async () => {
    const w = await world();
    const id = [...w.asg.instances.keys()][0];
    const input = {
      AutoScalingGroupName: w.asg.name,
      LifecycleHookName: 'hook',
      InstanceId: id,
      LifecycleActionResult: 'CONTINUE',
    };
    await expect(call(w, w.clients.autoScaling.send(new CompleteLifecycleActionCommand(input)))).rejects.toMatchObject({
      name: 'ValidationError',
      message: `No active Lifecycle Action found with instance ID ${id}`,
    });
  });

  it('throttles with the SDK error shape once the token bucket is empty and retries are spent', async () => {
    // GIVEN an ECS throttling burst
    const w = await world({ throttleBursts: [{ start: 0, end: 1e9, service: 'ECS' }] });
    // THEN the call fails after the SDK's 3 attempts with a throttling error
    await expect(call(w, w.clients.ecs.send(new ListTasksCommand({ cluster: w.clusterName })))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $retryable: { throttling: true },
      $metadata: { attempts: 3 },
    });
    expect(w.metrics.throttledCalls).toBe(3);
  });
});
