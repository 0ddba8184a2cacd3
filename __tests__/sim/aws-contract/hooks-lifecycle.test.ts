/**
 * Simulated Auto Scaling lifecycle hooks against "Amazon EC2 Auto Scaling lifecycle hooks"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html), "Complete a lifecycle action"
 * (completing-lifecycle-hooks.html), CompleteLifecycleAction / RecordLifecycleActionHeartbeat and API_LifecycleHook
 * (HeartbeatTimeout, DefaultResult, the global timeout), and "Prepare to add a lifecycle hook: EventBridge"
 * (prepare-for-lifecycle-notifications.html, the event samples). One test per row of docs/aws-contract.md, "Auto
 * Scaling — lifecycle hooks and warm pools".
 */
import { CompleteLifecycleActionCommand, RecordLifecycleActionHeartbeatCommand } from '@aws-sdk/client-auto-scaling';
import { LAUNCHING, TERMINATING, type AsgInstance, type HookSpec } from '../../../sim/aws/autoscaling';
import type { BusEvent } from '../../../sim/aws/eventbridge';
import { World } from '../../../sim/world';
import { simCall } from './support/sim-call';

const HOOK = 'drain';

async function world(
  transition = TERMINATING,
  heartbeatTimeout = 60,
  defaultResult: 'CONTINUE' | 'ABANDON' = 'CONTINUE',
) {
  const w = new World({ seed: 3, shape: { instances: 2, daemon: false } });
  await w.bootstrap();
  const hook: HookSpec = { name: HOOK, transition, heartbeatTimeout, defaultResult, owner: 'eventbridge' };
  w.asg.hooks = [hook];
  const events: BusEvent[] = [];
  w.bus.addRule({ name: 'all', matches: (e) => e.source === 'aws.autoscaling', target: (e) => void events.push(e) });
  return { w, events };
}

function terminateOne(w: World): AsgInstance {
  const instance = [...w.asg.instances.values()][0];
  w.asg.terminate(instance, 'test', true);
  return instance;
}

const call = (w: World, command: unknown) => simCall(w, w.clients.autoScaling, command);

const ref = (w: World, instance: AsgInstance) => ({
  AutoScalingGroupName: w.asg.name,
  LifecycleHookName: HOOK,
  InstanceId: instance.id,
});

describe('Auto Scaling lifecycle hooks', () => {
  it(
    'ends an action with CompleteLifecycleAction, or with the DefaultResult ' + 'once the heartbeat timeout elapses',
    async () => {
      // GIVEN a terminate hook with a 60 s heartbeat timeout and two instances in Terminating:Wait
      const { w } = await world();
      const completed = terminateOne(w);
      const abandoned = [...w.asg.instances.values()][1];
      w.asg.terminate(abandoned, 'test', true);
      expect([completed.lifecycleState, abandoned.lifecycleState]).toEqual(['Terminating:Wait', 'Terminating:Wait']);
      // WHEN one is completed through the API and the other is left alone
      await call(w, new CompleteLifecycleActionCommand({ ...ref(w, completed), LifecycleActionResult: 'CONTINUE' }));
      await w.sim.run(w.sim.now + 59);
      expect(abandoned.lifecycleState).toBe('Terminating:Wait');
      await w.sim.run(w.sim.now + 2);
      // THEN the first proceeds at once, the second when its heartbeat timeout elapsed (DefaultResult)
      expect(completed.lifecycleState).not.toBe('Terminating:Wait');
      expect(abandoned.lifecycleState).not.toBe('Terminating:Wait');
      expect(w.metrics.hookHeartbeatTimeouts).toBe(1);
    },
  );

  it('restarts the heartbeat timeout on RecordLifecycleActionHeartbeat, never past the global timeout', async () => {
    // GIVEN a 60 s heartbeat timeout: the global timeout is min(48 h, 100 × 60 s) = 6,000 s
    const { w } = await world();
    const instance = terminateOne(w);
    const started = w.sim.now;
    // WHEN the action is heartbeated every 50 s
    let last = started;
    while (w.sim.now < started + 7000 && instance.lifecycleState === 'Terminating:Wait') {
      await w.sim.run(w.sim.now + 50);
      try {
        await call(w, new RecordLifecycleActionHeartbeatCommand(ref(w, instance)));
        last = w.sim.now;
      } catch {
        break;
      }
    }
    // THEN it waited well past one heartbeat timeout, and ended at the global timeout, not later
    expect(last - started).toBeGreaterThan(5900);
    expect(w.metrics.hooksHitGlobalTimeout).toBe(1);
    expect(instance.lifecycleState).not.toBe('Terminating:Wait');
  });

  it('answers ValidationError "No active Lifecycle Action found" for an action that already ended', async () => {
    const { w } = await world();
    const instance = terminateOne(w);
    const complete = () =>
      call(w, new CompleteLifecycleActionCommand({ ...ref(w, instance), LifecycleActionResult: 'CONTINUE' }));
    await complete();
    await expect(complete()).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/No active Lifecycle Action found with instance ID/),
    });
    await expect(call(w, new RecordLifecycleActionHeartbeatCommand(ref(w, instance)))).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('sends the documented lifecycle event to EventBridge when an action starts', async () => {
    const { w, events } = await world();
    const instance = terminateOne(w);
    await w.sim.run(w.sim.now + 30);
    const event = events.find((e) => e['detail-type'] === 'EC2 Instance-terminate Lifecycle Action');
    expect(event).toMatchObject({
      source: 'aws.autoscaling',
      resources: [w.asg.arn],
      detail: {
        LifecycleActionToken: expect.any(String),
        AutoScalingGroupName: w.asg.name,
        LifecycleHookName: HOOK,
        EC2InstanceId: instance.id,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        Origin: 'AutoScalingGroup',
        Destination: 'EC2',
      },
    });
  });

  it('terminates an instance whose launch action ends with ABANDON (and the group replaces it)', async () => {
    // GIVEN a launch hook and a new instance in Pending:Wait
    const { w, events } = await world(LAUNCHING, 300);
    const instance = w.asg.launch('test');
    w.asg.desired++;
    await w.sim.run(w.sim.now + 1);
    expect(instance.lifecycleState).toBe('Pending:Wait');
    // WHEN the action is completed with ABANDON
    await call(w, new CompleteLifecycleActionCommand({ ...ref(w, instance), LifecycleActionResult: 'ABANDON' }));
    await w.sim.run(w.sim.now + 600);
    // THEN the instance is terminated, the launch reported unsuccessful, and another one launched in its place
    expect(w.asg.instances.has(instance.id)).toBe(false);
    expect(events.map((e) => e['detail-type'])).toContain('EC2 Instance Launch Unsuccessful');
    expect(w.asg.alive().filter((i) => i.id !== instance.id)).toHaveLength(w.asg.desired);
  });
});
