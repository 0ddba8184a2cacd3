/**
 * Contract: instance refresh ("How an instance refresh works", "Understand the default values for an instance
 * refresh", StartInstanceRefresh / RefreshPreferences API reference). See docs/aws-contract.md.
 */
import { DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import type { BusEvent } from '../../../sim/aws/eventbridge';
import { NEW_AMI } from '../../../sim/world';
import { advance, aliveIds, call, protectAll, smallWorld } from './autoscaling-world';

const start = (prefs: Record<string, unknown>) =>
  new StartInstanceRefreshCommand({ AutoScalingGroupName: 'prod-general', Strategy: 'Rolling', Preferences: prefs });
const OURS = {
  MinHealthyPercentage: 100,
  MaxHealthyPercentage: 200,
  InstanceWarmup: 0,
  ScaleInProtectedInstances: 'Refresh',
};

describe('Auto Scaling instance refresh (simulated)', () => {
  it('replaces every instance it found at its start; at min 100 % InService stays at desired', async () => {
    const world = await smallWorld(4);
    const before = aliveIds(world);
    world.ssm.publish('/p/approved', NEW_AMI, 'String', 'aws:ec2:image');
    const events: BusEvent[] = [];
    world.bus.addRule({
      name: 'all',
      matches: (e) => e['detail-type'].includes('Instance Refresh'),
      target: (e) => void events.push(e),
    });
    await call(world, world.clients.autoScaling.send(start(OURS)));
    const lowest = await advance(world, 1800, () => world.asg.refresh?.status === 'Successful');
    expect(world.asg.refresh?.status).toBe('Successful');
    expect(lowest).toBeGreaterThanOrEqual(4);
    expect(aliveIds(world).filter((id) => before.includes(id))).toEqual([]);
    expect(world.asg.alive().every((i) => i.imageId === NEW_AMI)).toBe(true);
    await advance(world, 5);
    expect(events.map((e) => e['detail-type'])).toEqual([
      'EC2 Auto Scaling Instance Refresh Started',
      'EC2 Auto Scaling Instance Refresh Succeeded',
    ]);
  });

  it('applies the API defaults: min 90 %, max 100 %, skip matching off, scale-in protected Wait', async () => {
    const world = await smallWorld(4);
    const { InstanceRefreshId } = await call(world, world.clients.autoScaling.send(start({})));
    const page = await call(
      world,
      world.clients.autoScaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'prod-general' })),
    );
    expect(page.InstanceRefreshes[0]).toMatchObject({
      InstanceRefreshId,
      Status: 'InProgress',
      Preferences: {
        MinHealthyPercentage: 90,
        MaxHealthyPercentage: 100,
        SkipMatching: false,
        AutoRollback: false,
        ScaleInProtectedInstances: 'Wait',
      },
    });
  });

  it('refuses a second refresh while one is in progress (InstanceRefreshInProgressFault)', async () => {
    const world = await smallWorld(2);
    await call(world, world.clients.autoScaling.send(start(OURS)));
    await expect(call(world, world.clients.autoScaling.send(start(OURS)))).rejects.toMatchObject({
      name: 'InstanceRefreshInProgressFault',
    });
  });

  it('refuses auto rollback when the launch template takes its AMI from an SSM parameter', async () => {
    const world = await smallWorld(2);
    await expect(
      call(world, world.clients.autoScaling.send(start({ ...OURS, AutoRollback: true }))),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('refuses a healthy-percentage range wider than 100', async () => {
    const world = await smallWorld(2);
    await expect(
      call(world, world.clients.autoScaling.send(start({ MinHealthyPercentage: 50, MaxHealthyPercentage: 200 }))),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('with skip matching replaces nothing when every instance has the group’s template version', async () => {
    const world = await smallWorld(3);
    const before = aliveIds(world);
    world.ssm.publish('/p/approved', NEW_AMI, 'String', 'aws:ec2:image');
    await call(world, world.clients.autoScaling.send(start({ ...OURS, SkipMatching: true })));
    await advance(world, 120, () => world.asg.refresh?.status === 'Successful');
    expect(world.asg.refresh?.status).toBe('Successful');
    expect(aliveIds(world)).toEqual(before);
  });

  it('counts a replacement healthy only after the warm-up', async () => {
    const world = await smallWorld(1);
    protectAll(world);
    await call(world, world.clients.autoScaling.send(start({ ...OURS, InstanceWarmup: 300 })));
    await advance(world, 200);
    expect(world.asg.alive()).toHaveLength(2);
    await advance(world, 900, () => world.asg.refresh?.status === 'Successful');
    expect(world.asg.refresh?.endedAt as number).toBeGreaterThan(world.asg.refresh!.startedAt + 300);
  });
});
