/**
 * The four defects of issue 12 ("auto mode must work in a real AWS account"), one test each (and one for the second
 * half of defect 4). Written against the code as it was and seen failing there; each now guards the fix.
 */
import {
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { createAmiWatcherHandler } from '../../../lambdas/watcher/watcher-handler';
import { serializeGroupState } from '../../../lambdas/watcher/state';
import { fakeDeps, WatcherWorld } from './helpers/watcher-world';
import {
  AMI_CUR,
  AMI_NEW,
  APPROVED,
  ASG,
  DENY,
  PREVIOUS,
  SOURCE,
  STATE,
  T0,
  hoursAfter,
  loadEvent,
  refreshEvent,
  watcherConfig,
} from './helpers/watcher-kit';

const REFRESH = 'c613620e-07e2-4ed2-a9e2-ef8258911ade';
const schedule = () => loadEvent('eventbridge-scheduled-event.json');

/** GIVEN the watcher promoted AMI_NEW and started REFRESH `startedHoursAgo` ago; 2 of 4 instances already run it. */
function promotedWorld(status: string, startedHoursAgo = 1): WatcherWorld {
  const startedAt = hoursAfter(-startedHoursAgo);
  const world = new WatcherWorld()
    .param(APPROVED, AMI_NEW, 'String', 'aws:ec2:image')
    .param(PREVIOUS, AMI_CUR, 'String', 'aws:ec2:image')
    .param(
      STATE,
      serializeGroupState({
        v: 1,
        history: [AMI_CUR, AMI_NEW],
        approved: AMI_NEW,
        notified: {},
        refresh: { id: REFRESH, amiId: AMI_NEW, previousAmiId: AMI_CUR, startedAt: startedAt.toISOString() },
      }),
    )
    .param(DENY, 'none', 'StringList')
    .fleet(ASG, AMI_NEW, 2, 'n')
    .fleet(ASG, AMI_CUR, 2, 'c')
    .refresh(ASG, REFRESH, status, startedAt);
  world.groups.get(ASG)!.desired = 4;
  return world;
}

/** The launch gate abandoned `count` launches of the new AMI during the refresh (the evidence against the AMI). */
function withAbandons(world: WatcherWorld, count: number): WatcherWorld {
  for (let i = 0; i < count; i++) world.abandonedLaunch(ASG, `i-0ab${String(i).padStart(14, '0')}`, hoursAfter(-0.5));
  return world;
}

function setup(world: WatcherWorld) {
  const kit = fakeDeps(world, watcherConfig());
  return { world, ...kit, handler: createAmiWatcherHandler(kit.deps) };
}

describe('issue 12, defect 1: the watcher starts its refresh with the preferences of the Terraform block', () => {
  it('replaces scale-in protected instances instead of waiting an hour for their protection to go', async () => {
    // GIVEN auto mode on AMI_CUR and a two-day-old AMI_NEW in the public parameter (every instance is protected)
    const world = WatcherWorld.auto()
      .param(SOURCE, AMI_NEW)
      .image(AMI_NEW, hoursAfter(-48))
      .image(AMI_CUR, hoursAfter(-500));
    const { handler, asgMock } = setup(world);
    // WHEN the schedule promotes it and starts the refresh
    await handler(schedule());
    // THEN the request says Refresh (AWS's default, Wait, fails the refresh after one hour) and Terminate for Standby
    const requests = asgMock.commandCalls(StartInstanceRefreshCommand).map((c) => c.args[0].input);
    expect(requests).toHaveLength(1);
    expect(requests[0].Preferences).toMatchObject({
      ScaleInProtectedInstances: 'Refresh',
      StandbyInstances: 'Terminate',
    });
  });
});

describe('issue 12, defect 2: a cancelled refresh says nothing about the AMI', () => {
  it('notifies and keeps the AMI approved, neither denied nor rolled back', async () => {
    // GIVEN the watcher's refresh was cancelled (by an operator, or by Terraform's provider before it starts its own)
    const { handler, world, asgMock } = setup(promotedWorld('Cancelled'));
    // WHEN the documented Cancelled event arrives
    const result = await handler(refreshEvent('cancelled', { AutoScalingGroupName: ASG, InstanceRefreshId: REFRESH }));
    // THEN nothing is denied, restored or terminated
    expect(result.outcomes[0].decision).not.toBe('ROLLBACK');
    expect(world.value(DENY)).toBe('none');
    expect(world.value(APPROVED)).toBe(AMI_NEW);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
  });
});

describe('issue 12, defect 3: a refresh that never finishes is handled', () => {
  it('cancels its own refresh past the deadline when the launch gate keeps abandoning the new AMI', async () => {
    // GIVEN the watcher's refresh has run for 10 hours while the launch gate abandoned 5 launches of AMI_NEW
    const { handler, asgMock } = setup(withAbandons(promotedWorld('InProgress', 10), 5));
    // WHEN the schedule runs
    await handler(schedule());
    // THEN the watcher cancels the refresh (and decides from the evidence once it is cancelled)
    expect(asgMock.commandCalls(CancelInstanceRefreshCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupName: ASG },
    ]);
  });

  it('sends its cancel again on the next trigger when CancelInstanceRefresh was throttled', async () => {
    // GIVEN the same stuck refresh, and Auto Scaling throttles the first CancelInstanceRefresh
    const { handler, world, asgMock } = setup(withAbandons(promotedWorld('InProgress', 10), 5));
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    asgMock
      .on(CancelInstanceRefreshCommand)
      .rejectsOnce(throttled)
      .callsFake((input) => world.cancelRefresh(input.AutoScalingGroupName));
    // WHEN the schedule runs (the cancel is recorded, the call throttled) and an activity event follows
    await handler(schedule());
    const activityReads = asgMock.commandCalls(DescribeScalingActivitiesCommand).length;
    const groupReads = asgMock.commandCalls(DescribeAutoScalingGroupsCommand).length;
    await handler(schedule());
    // THEN the cancel reached Auto Scaling on the second run (before the fix the recorded cancel only waited)
    expect(asgMock.commandCalls(CancelInstanceRefreshCommand)).toHaveLength(2);
    // AND the resend neither counted the launches again nor read the group for a deadline it does not need: it reads
    // the group no more often than the first run, which also read it for the deadline
    expect(asgMock.commandCalls(DescribeScalingActivitiesCommand)).toHaveLength(activityReads);
    expect(asgMock.commandCalls(DescribeAutoScalingGroupsCommand).length - groupReads).toBeLessThanOrEqual(groupReads);
    expect(world.groups.get(ASG)!.refreshes.find((r) => r.id === REFRESH)?.status).toBe('Cancelling');
  });
});

describe('issue 12, defect 4: a rollback never runs the group below its desired capacity', () => {
  it('launches replacements before anything is terminated', async () => {
    // GIVEN the watcher's refresh failed after the launch gate abandoned 3 launches of AMI_NEW
    const { handler, world, asgMock } = setup(withAbandons(promotedWorld('Failed'), 3));
    // WHEN the Failed event arrives
    await handler(refreshEvent('failed', { AutoScalingGroupName: ASG, InstanceRefreshId: REFRESH }));
    // THEN AMI_NEW is denied and AMI_CUR restored, and no instance is terminated by the watcher …
    expect(world.value(DENY)).toBe(AMI_NEW);
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
    // … the instances on AMI_NEW are replaced by a refresh that keeps 100 % and launches first
    const rollback = asgMock.commandCalls(StartInstanceRefreshCommand).map((c) => c.args[0].input.Preferences);
    expect(rollback).toEqual([expect.objectContaining({ MinHealthyPercentage: 100, MaxHealthyPercentage: 200 })]);
  });

  it('terminates nothing more after a replacement launch failed mid-rollback', async () => {
    // GIVEN a rollback is under way
    const { handler, world, asgMock, clock } = setup(withAbandons(promotedWorld('Failed'), 3));
    await handler(refreshEvent('failed', { AutoScalingGroupName: ASG, InstanceRefreshId: REFRESH }));
    const before = asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand).length;
    // AND the group is one instance short: an instance on AMI_NEW is gone and its replacement failed to launch
    const group = world.groups.get(ASG)!;
    group.instances = group.instances.filter((i) => i.state !== 'Terminating:Wait');
    if (group.instances.length === 4) group.instances.shift();
    clock.now = new Date(T0.getTime() + 600_000);
    // WHEN the documented "EC2 Instance Launch Unsuccessful"-style activity event arrives
    const activity = {
      ...loadEvent('watcher/autoscaling-instance-launch-successful.json'),
      'detail-type': 'EC2 Instance Launch Unsuccessful',
      detail: { AutoScalingGroupName: ASG, EC2InstanceId: 'i-0f00000000000001', StatusCode: 'Failed' },
    };
    await handler(activity);
    // THEN the watcher terminates nothing more while the group is below desired
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand).length - before).toBe(0);
  });
});
