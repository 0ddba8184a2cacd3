import { StartInstanceRefreshCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { createAmiWatcherHandler } from '../../../lambdas/watcher/watcher-handler';
import { serializeGroupState } from '../../../lambdas/watcher/state';
import { fakeDeps, WatcherWorld } from './helpers/watcher-world';
import {
  AMI_CUR,
  AMI_NEW,
  APPROVED,
  ASG,
  DENY,
  GITOPS_ASG,
  GITOPS_STATE,
  PAUSE,
  STATE,
  T0,
  decisionLines,
  hoursAfter,
  loadEvent,
  refreshEvent,
  watcherConfig,
} from './helpers/watcher-kit';

const REFRESH = 'c613620e-07e2-4ed2-a9e2-ef8258911ade';

/**
 * GIVEN the watcher promoted AMI_NEW and started refresh REFRESH, which replaced 2 of 4 instances before failing; the
 * launch gate abandoned 2 launches of AMI_NEW meanwhile (the evidence against it).
 */
function promotedWorld(): WatcherWorld {
  const world = new WatcherWorld()
    .param(APPROVED, AMI_NEW, 'String', 'aws:ec2:image')
    .param('/ecs-ami-rollout/prod/general/previous-ami', AMI_CUR, 'String', 'aws:ec2:image')
    .param(
      STATE,
      serializeGroupState({
        v: 1,
        history: [AMI_CUR, AMI_NEW],
        notified: {},
        refresh: { id: REFRESH, amiId: AMI_NEW, previousAmiId: AMI_CUR, startedAt: '2025-03-05T09:00:00Z' },
      }),
    )
    .param(DENY, 'none', 'StringList')
    .fleet(ASG, AMI_NEW, 2, 'n')
    .fleet(ASG, AMI_CUR, 2, 'c')
    .refresh(ASG, REFRESH, 'Failed', new Date('2025-03-05T09:00:00Z'))
    .abandonedLaunch(ASG, 'i-0ab00000000000001', new Date('2025-03-05T09:10:00Z'))
    .abandonedLaunch(ASG, 'i-0ab00000000000002', new Date('2025-03-05T09:11:00Z'));
  world.groups.get(ASG)!.desired = 4;
  return world;
}

function setup(world = promotedWorld()) {
  const kit = fakeDeps(world, watcherConfig());
  return { world, ...kit, handler: createAmiWatcherHandler(kit.deps) };
}

const failed = () => refreshEvent('failed', { AutoScalingGroupName: ASG, InstanceRefreshId: REFRESH });
const refreshStarts = (asgMock: ReturnType<typeof setup>['asgMock']) =>
  asgMock.commandCalls(StartInstanceRefreshCommand).map((c) => c.args[0].input);

describe('AMI watcher: refresh failure → rollback (auto mode)', () => {
  it('restores the previous AMI, denies the failed one and replaces its instances launching first', async () => {
    const { handler, puts, asgMock, published } = setup();
    // WHEN the documented Failed event arrives for our refresh
    const result = await handler(failed());
    // THEN the deny list, the state record and the approved parameter are written, in that order
    expect(puts().map((p) => [p.Name, p.Value])).toEqual([
      [DENY, AMI_NEW],
      [STATE, expect.stringContaining(`"rollback":{"failedAmiId":"${AMI_NEW}","restoredAmiId":"${AMI_CUR}"`)],
      [APPROVED, AMI_CUR],
      [STATE, expect.stringContaining('"replaceRefreshId":"refresh-1"')],
    ]);
    expect(puts().find((p) => p.Name === APPROVED)).toEqual({
      Name: APPROVED,
      Value: AMI_CUR,
      Type: 'String',
      DataType: 'aws:ec2:image',
      Overwrite: true,
    });
    expect(puts().find((p) => p.Name === DENY)).toMatchObject({ Type: 'StringList', Overwrite: true });
    // AND one refresh of the restored AMI replaces the group: min 100 % / max 200 %, no checkpoints, nothing terminated
    expect(refreshStarts(asgMock)).toEqual([
      {
        AutoScalingGroupName: ASG,
        Strategy: 'Rolling',
        Preferences: {
          MinHealthyPercentage: 100,
          MaxHealthyPercentage: 200,
          InstanceWarmup: 60,
          SkipMatching: false,
          AutoRollback: false,
          ScaleInProtectedInstances: 'Refresh',
          StandbyInstances: 'Terminate',
        },
      },
    ]);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
    expect(result.outcomes).toEqual([expect.objectContaining({ nodeGroup: 'general', decision: 'ROLLBACK' })]);
    expect(published()).toEqual([
      expect.stringMatching(
        new RegExp(`\\[CRITICAL\\] prod/general: Instance refresh failed: rolling back ${AMI_NEW} → ${AMI_CUR}`),
      ),
      expect.stringMatching(/\[WARNING\] prod\/general: Rollback: refresh refresh-1 replaces 2 instance\(s\)/),
    ]);
  });

  it('does not roll back twice under a duplicate Failed event', async () => {
    const { handler, puts, asgMock, published, logger } = setup();
    await handler(failed());
    const writesAfterFirst = puts().length;
    // WHEN the same event is delivered again
    const second = await handler(failed());
    // THEN the approved parameter no longer holds the failed AMI: nothing is written or started again
    expect(second.outcomes[0]).toMatchObject({
      decision: 'ALREADY_HANDLED',
      reason: expect.stringMatching(/already rolled back/),
    });
    expect(puts()).toHaveLength(writesAfterFirst);
    expect(refreshStarts(asgMock)).toHaveLength(1);
    expect(published()).toHaveLength(2);
    expect(decisionLines(logger)).toHaveLength(2);
  });

  it('reports the rollback complete once its refresh replaced every instance on the failed AMI', async () => {
    const { handler, world, published } = setup();
    await handler(failed());
    // WHEN Auto Scaling replaced the group with the restored AMI and the rollback's refresh succeeded
    const group = world.groups.get(ASG)!;
    group.instances = [0, 1, 2, 3].map((i) => ({ id: `i-0r${i}`, state: 'InService', imageId: AMI_CUR }));
    group.refreshes[0].status = 'Successful';
    const done = await handler(
      refreshEvent('succeeded', { AutoScalingGroupName: ASG, InstanceRefreshId: 'refresh-1' }),
    );
    // THEN the rollback is complete, notified once, and the state forgets it
    expect(done.outcomes[0]).toMatchObject({ decision: 'ROLLBACK_DONE' });
    expect(published()).toContainEqual(expect.stringMatching(`Rollback complete: no instance runs ${AMI_NEW}`));
    expect(JSON.parse(world.value(STATE)!).rollback).toBeUndefined();
  });

  it('starts the rollback’s refresh again after it failed, once launches succeed again', async () => {
    const { handler, world, asgMock, clock } = setup();
    await handler(failed());
    // GIVEN the rollback's refresh failed because EC2 had no capacity a moment ago
    world.groups.get(ASG)!.refreshes[0].status = 'Failed';
    world.groups.get(ASG)!.activities.unshift({
      ActivityId: 'act-cap',
      Description: 'Launching a new EC2 instance.  Status Reason: We currently do not have sufficient capacity.',
      Cause: 'At 2025-03-05T10:00:00Z an instance was launched in response to an instance refresh.',
      StartTime: T0,
      StatusCode: 'Failed',
    });
    const soon = await handler(refreshEvent('failed', { AutoScalingGroupName: ASG, InstanceRefreshId: 'refresh-1' }));
    // THEN it waits (a refresh started now could only wait or fail) …
    expect(soon.outcomes[0]).toMatchObject({
      decision: 'ROLLBACK_WAIT',
      reason: expect.stringMatching(/launch failed/),
    });
    expect(refreshStarts(asgMock)).toHaveLength(1);
    // … and the next scheduled run, with launches working again, starts the second attempt
    clock.now = hoursAfter(1);
    await handler(loadEvent('eventbridge-scheduled-event.json'));
    expect(refreshStarts(asgMock)).toHaveLength(2);
    expect(JSON.parse(world.value(STATE)!).rollback).toMatchObject({
      replaceRefreshId: 'refresh-2',
      replaceAttempts: 2,
    });
  });

  it('starts no rollback refresh while the pause switch is on (the restore still happens)', async () => {
    const world = promotedWorld().param(PAUSE, 'true');
    const { handler, asgMock } = setup(world);
    await handler(failed());
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(refreshStarts(asgMock)).toHaveLength(0);
  });

  it('waits for SSM to validate the restored AMI before replacing anything', async () => {
    // GIVEN SSM validates aws:ec2:image writes asynchronously and has not finished yet
    const world = promotedWorld();
    world.holdImageWrites = true;
    const { handler, asgMock, clock } = setup(world);
    const first = await handler(failed());
    // THEN no refresh starts: a replacement could still launch from the failed AMI
    expect(first.outcomes[0].reason).toMatch(/waiting for SSM to validate/);
    expect(refreshStarts(asgMock)).toHaveLength(0);
    // WHEN validation finished and the schedule runs, THEN the rollback's refresh starts
    world.validate();
    clock.now = hoursAfter(1);
    await handler(loadEvent('eventbridge-scheduled-event.json'));
    expect(refreshStarts(asgMock)).toHaveLength(1);
  });

  it('rolls back from the schedule when the Failed event was lost', async () => {
    const { handler, world, asgMock } = setup();
    const result = await handler(loadEvent('eventbridge-scheduled-event.json'));
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(world.value(DENY)).toBe(AMI_NEW);
    expect(refreshStarts(asgMock)).toHaveLength(1);
    expect(result.outcomes.find((o) => o.nodeGroup === 'general')?.reason).toMatch(/last refresh .* Failed: ROLLBACK/);
  });

  it('only notifies for a refresh someone else started', async () => {
    const { handler, world, puts, asgMock, published } = setup();
    const result = await handler(
      refreshEvent('failed', { AutoScalingGroupName: ASG, InstanceRefreshId: 'terraform-refresh' }),
    );
    expect(result.outcomes[0]).toMatchObject({ decision: 'NOTIFY' });
    expect(world.value(APPROVED)).toBe(AMI_NEW);
    expect(puts().filter((p) => p.Name !== STATE)).toEqual([]);
    expect(refreshStarts(asgMock)).toHaveLength(0);
    expect(published()).toEqual([expect.stringMatching(/not started by the AMI watcher: no rollback/)]);
  });
});

describe('AMI watcher: refresh events (gitops mode and notifications)', () => {
  it('never rolls back in gitops mode', async () => {
    // GIVEN a gitops node group whose (Terraform-started) refresh fails
    const world = new WatcherWorld().fleet(GITOPS_ASG, AMI_NEW, 2);
    const { handler, puts, asgMock, published } = setup(world);
    const result = await handler(
      refreshEvent('failed', { AutoScalingGroupName: GITOPS_ASG, InstanceRefreshId: REFRESH }),
    );
    // THEN only a warning is sent and the only write is the notification fingerprint in the gitops state
    expect(result.outcomes[0]).toMatchObject({
      nodeGroup: 'gpu',
      decision: 'NOTIFY',
      reason: expect.stringMatching(/gitops/),
    });
    expect(puts().map((p) => p.Name)).toEqual([GITOPS_STATE]);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
    expect(published()).toEqual([
      expect.stringMatching(/\[WARNING\] prod\/gpu: Instance refresh failed \(gitops: Auto Scaling rolls back\)/),
    ]);
  });

  it.each([
    ['started', /\[INFO\] prod\/general: Instance refresh started/],
    ['checkpoint-reached', /\[INFO\] prod\/general: Instance refresh reached its 50% checkpoint/],
    ['succeeded', /\[INFO\] prod\/general: Instance refresh succeeded/],
    ['rollback-started', /\[WARNING\] .*being rolled back by Auto Scaling/],
    ['rollback-succeeded', /\[WARNING\] .*was rolled back by Auto Scaling/],
    ['rollback-failed', /\[CRITICAL\] .*rollback of the instance refresh failed: manual action needed/],
  ])('the documented %s event notifies once, even when delivered twice', async (name, subject) => {
    // GIVEN the documented event for our ASG
    const { handler, published } = setup();
    const event = refreshEvent(name, { AutoScalingGroupName: ASG });
    // WHEN it is delivered twice, THEN one notification
    await handler(event);
    await handler(event);
    expect(published()).toEqual([expect.stringMatching(subject)]);
  });

  it('records the success of its own refresh so the sweep stops tracking it', async () => {
    // GIVEN the watcher's refresh succeeded
    const world = promotedWorld();
    world.groups.get(ASG)!.refreshes[0].status = 'Successful';
    const { handler } = setup(world);
    // WHEN the Succeeded event arrives, THEN the state marks it ended
    await handler(refreshEvent('succeeded', { AutoScalingGroupName: ASG, InstanceRefreshId: REFRESH }));
    expect(JSON.parse(world.value(STATE)!).refresh).toMatchObject({ id: REFRESH, outcome: 'Successful' });
  });
});
