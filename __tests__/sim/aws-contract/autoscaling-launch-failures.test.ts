/**
 * Contract: launches that fail (Activity API reference: StatusCode Failed | Cancelled; "EC2 Instance Launch
 * Unsuccessful" event) and the refresh's failure count (an assumption: AWS documents none). See docs/aws-contract.md.
 */
import { DescribeScalingActivitiesCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { LAUNCHING } from '../../../sim/aws/autoscaling';
import type { BusEvent } from '../../../sim/aws/eventbridge';
import { NEW_AMI } from '../../../sim/world';
import { advance, call, smallWorld } from './autoscaling-world';

const start = new StartInstanceRefreshCommand({
  AutoScalingGroupName: 'prod-general',
  Preferences: {
    MinHealthyPercentage: 100,
    MaxHealthyPercentage: 200,
    InstanceWarmup: 0,
    ScaleInProtectedInstances: 'Refresh',
  },
});

function launchHook(world: Awaited<ReturnType<typeof smallWorld>>): void {
  world.asg.hooks = [
    { name: 'gate', transition: LAUNCHING, heartbeatTimeout: 60, defaultResult: 'ABANDON', owner: 'eventbridge' },
  ];
}

describe('failed launches (simulated)', () => {
  it('records an abandoned launch as Cancelled, naming its instance; emits Launch Unsuccessful', async () => {
    const world = await smallWorld(1);
    launchHook(world);
    const events: BusEvent[] = [];
    world.bus.addRule({
      name: 'u',
      matches: (e) => e['detail-type'] === 'EC2 Instance Launch Unsuccessful',
      target: (e) => void events.push(e),
    });
    world.asg.desired = 2;
    await advance(world, 100);
    const { Activities } = await call(
      world,
      world.clients.autoScaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'prod-general' })),
    );
    const abandoned = Activities.find((a: { StatusCode: string }) => a.StatusCode === 'Cancelled');
    expect(abandoned.Description).toMatch(/^Launching a new EC2 instance: i-[0-9a-f]+$/);
    expect(abandoned.StatusMessage).toMatch(/ABANDON/);
    expect(events[0].detail).toMatchObject({ StatusCode: 'Cancelled', EC2InstanceId: expect.stringMatching(/^i-/) });
  });

  it('records a launch EC2 refused as Failed, without an instance', async () => {
    const world = await smallWorld(1);
    world.ec2.addCapacityOutage(world.sim.now, world.sim.now + 600);
    world.asg.desired = 2;
    await advance(world, 30);
    const failed = world.asg.activities.find((a) => a.StatusCode === 'Failed');
    expect(failed?.Description).toMatch(
      /^Launching a new EC2 instance\.\s+Status Reason: We currently do not have sufficient/,
    );
    expect(failed?.Description).not.toMatch(/i-[0-9a-f]/);
  });

  it.each([
    [3, 'Failed'],
    [Number.POSITIVE_INFINITY, 'InProgress'],
  ])('fails a refresh after %s failed launches (assumption; Infinity: never)', async (limit, status) => {
    const world = await smallWorld(2, { refreshMaxFailedReplacements: limit });
    launchHook(world);
    world.ssm.publish('/p/approved', NEW_AMI, 'String', 'aws:ec2:image');
    await call(world, world.clients.autoScaling.send(start));
    await advance(world, 3600, () => world.asg.refresh?.status !== 'InProgress');
    expect(world.asg.refresh?.status).toBe(status);
    if (status === 'Failed') expect(world.asg.refresh?.failedReplacements).toBe(3);
  });
});
