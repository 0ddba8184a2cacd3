/**
 * Contract: EC2 launches ("Request throttling for the Amazon EC2 API": RunInstances resource bucket 1000 tokens,
 * refilled at 2 per second; "Insufficient instance capacity"). See docs/aws-contract.md.
 */
import { RUN_INSTANCES_RESOURCE_BUCKET } from '../../../sim/aws/ec2';
import { OLD_AMI } from '../../../sim/world';
import { sleep, smallWorld } from './autoscaling-world';

describe('EC2 launches (simulated)', () => {
  it('launches 1000 instances at once, then 2 per second (RunInstances resource bucket)', async () => {
    const world = await smallWorld(1);
    const results = Array.from({ length: RUN_INSTANCES_RESOURCE_BUCKET.capacity + 5 }, () =>
      world.ec2.runInstance(OLD_AMI, () => undefined),
    );
    expect(results.filter((r) => r.launched)).toHaveLength(1000);
    expect(results.find((r) => !r.launched)).toMatchObject({ code: 'RequestLimitExceeded' });
    await sleep(world, 1);
    const later = Array.from({ length: 3 }, () => world.ec2.runInstance(OLD_AMI, () => undefined));
    expect(later.filter((r) => r.launched)).toHaveLength(2);
  });

  it('answers InsufficientInstanceCapacity during a capacity outage, and launches again after it', async () => {
    const world = await smallWorld(1);
    world.ec2.addCapacityOutage(world.sim.now, world.sim.now + 60);
    expect(world.ec2.runInstance(OLD_AMI, () => undefined)).toMatchObject({
      launched: false,
      code: 'InsufficientInstanceCapacity',
    });
    await sleep(world, 61);
    expect(world.ec2.runInstance(OLD_AMI, () => undefined)).toMatchObject({ launched: true });
  });

  it('runs an instance pending → running → shutting-down → terminated', async () => {
    const world = await smallWorld(1);
    const result = world.ec2.runInstance(OLD_AMI, () => undefined);
    if (!result.launched) throw new Error('not launched');
    const states = [result.instance.state];
    await world.sim.run(world.sim.now + 60);
    states.push(result.instance.state);
    world.ec2.terminate(result.instance.id, () => undefined);
    states.push(result.instance.state);
    await world.sim.run(world.sim.now + 200);
    states.push(result.instance.state);
    expect(states).toEqual(['pending', 'running', 'shutting-down', 'terminated']);
  });
});
