/**
 * Contract: scale-in protection and ScaleInProtectedInstances (RefreshPreferences API reference: "Wait (default) …
 * waits one hour for you to remove scale-in protection. Otherwise, the instance refresh will fail"; "Use instance
 * scale-in protection"). See docs/aws-contract.md.
 */
import { StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { PROTECTED_WAIT_SECONDS } from '../../../sim/aws/instance-refresh';
import { NEW_AMI } from '../../../sim/world';
import { advance, aliveIds, call, protectAll, smallWorld } from './autoscaling-world';

const refresh = (protectedInstances?: string) =>
  new StartInstanceRefreshCommand({
    AutoScalingGroupName: 'prod-general',
    Preferences: {
      MinHealthyPercentage: 100,
      MaxHealthyPercentage: 200,
      InstanceWarmup: 0,
      ...(protectedInstances ? { ScaleInProtectedInstances: protectedInstances as 'Refresh' } : {}),
    },
  });

describe('scale-in protection (simulated)', () => {
  it('Wait, the API default: a fully protected group’s refresh fails one hour into its wait', async () => {
    const world = await smallWorld(2);
    protectAll(world);
    world.ssm.publish('/p/approved', NEW_AMI, 'String', 'aws:ec2:image');
    await call(world, world.clients.autoScaling.send(refresh()));
    await advance(world, 2 * PROTECTED_WAIT_SECONDS, () => world.asg.refresh?.status !== 'InProgress');
    const r = world.asg.refresh!;
    expect(r.status).toBe('Failed');
    expect(r.statusReason).toMatch(/protected from scale in/);
    expect((r.endedAt as number) - r.startedAt).toBeGreaterThanOrEqual(PROTECTED_WAIT_SECONDS);
    expect((r.endedAt as number) - r.startedAt).toBeLessThan(PROTECTED_WAIT_SECONDS + 600);
  });

  it('Refresh: protected instances are replaced like any other', async () => {
    const world = await smallWorld(2);
    protectAll(world);
    await call(world, world.clients.autoScaling.send(refresh('Refresh')));
    await advance(world, 1800, () => world.asg.refresh?.status !== 'InProgress');
    expect(world.asg.refresh?.status).toBe('Successful');
  });

  it('Ignore: protected instances are skipped and the refresh succeeds without them', async () => {
    const world = await smallWorld(2);
    protectAll(world);
    const before = aliveIds(world);
    await call(world, world.clients.autoScaling.send(refresh('Ignore')));
    await advance(world, 600, () => world.asg.refresh?.status !== 'InProgress');
    expect(world.asg.refresh?.status).toBe('Successful');
    expect(aliveIds(world)).toEqual(before);
  });

  it('scale in never picks a protected instance; new instances inherit the group’s setting', async () => {
    const world = await smallWorld(3);
    protectAll(world);
    world.asg.desired = 2;
    await advance(world, 120);
    expect(world.asg.alive()).toHaveLength(3);
    world.asg.desired = 4;
    await advance(world, 120);
    expect([...world.asg.instances.values()].every((i) => i.protectedFromScaleIn)).toBe(true);
  });
});
