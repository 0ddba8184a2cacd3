/**
 * Contract: CancelInstanceRefresh ("Cancel an instance refresh": Cancelling, then Cancelled; replacements already made
 * are not rolled back; API errors: ActiveInstanceRefreshNotFoundFault). See docs/aws-contract.md.
 */
import { CancelInstanceRefreshCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { LAUNCHING } from '../../../sim/aws/autoscaling';
import type { BusEvent } from '../../../sim/aws/eventbridge';
import { NEW_AMI } from '../../../sim/world';
import { advance, call, smallWorld } from './autoscaling-world';

const cancel = new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'prod-general' });

describe('CancelInstanceRefresh (simulated)', () => {
  it('goes Cancelling, then Cancelled with its event; replacements already made stay', async () => {
    const world = await smallWorld(4);
    world.ssm.publish('/p/approved', NEW_AMI, 'String', 'aws:ec2:image');
    // A launch hook nobody completes holds the replacements in Pending:Wait for 300 s (then CONTINUE).
    world.asg.hooks = [
      { name: 'slow', transition: LAUNCHING, heartbeatTimeout: 300, defaultResult: 'CONTINUE', owner: 'eventbridge' },
    ];
    const events: BusEvent[] = [];
    world.bus.addRule({
      name: 'all',
      matches: (e) => e['detail-type'].includes('Cancelled'),
      target: (e) => void events.push(e),
    });
    await call(
      world,
      world.clients.autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: 'prod-general',
          Preferences: {
            MinHealthyPercentage: 100,
            MaxHealthyPercentage: 200,
            InstanceWarmup: 0,
            ScaleInProtectedInstances: 'Refresh',
          },
        }),
      ),
    );
    await advance(world, 60);
    const { InstanceRefreshId } = await call(world, world.clients.autoScaling.send(cancel));
    expect(world.asg.refresh).toMatchObject({ id: InstanceRefreshId, status: 'Cancelling' });
    await advance(world, 120, () => world.asg.refresh?.status === 'Cancelled');
    expect(world.asg.refresh?.status).toBe('Cancelled');
    await advance(world, 600);
    expect([...world.asg.instances.values()].filter((i) => i.imageId === NEW_AMI).length).toBeGreaterThan(0);
    expect(events.map((e) => e.detail.InstanceRefreshId)).toEqual([InstanceRefreshId]);
  });

  it('answers ActiveInstanceRefreshNotFoundFault when no refresh runs', async () => {
    const world = await smallWorld(2);
    await expect(call(world, world.clients.autoScaling.send(cancel))).rejects.toMatchObject({
      name: 'ActiveInstanceRefreshNotFoundFault',
    });
  });
});
