/**
 * A CloudFormation `AutoScalingRollingUpdate` of an Auto Scaling group ("UpdatePolicy attribute",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html), batch size 1:
 * - MinInstancesInService = the group's size (ECM): CloudFormation launches a replacement first, waits for it, then
 *   terminates one old instance (launch before terminate);
 * - MinInstancesInService = 0 (aws-cdk's `UpdatePolicy.rollingUpdate()` default): CloudFormation terminates one old
 *   instance and the group launches its replacement (capacity dips by one per batch);
 * - WaitOnResourceSignals: the batch is done when the new instance's `cfn-signal` arrives (ECM's user data signals
 *   as soon as it has installed aws-cfn-bootstrap — not when the instance joined ECS), or fails after PauseTime;
 *   without signals CloudFormation waits PauseTime (default PT0S) after the batch.
 * Assumptions (not documented): without signals the batch counts as done once the replacement is InService; a batch
 * is finished only when the terminated instance is gone (its terminate lifecycle hook completed).
 */
import type { AsgInstance } from '../aws/autoscaling';
import type { World } from '../world';

export interface RollingUpdateOptions {
  /** 'launch-first' (MinInstancesInService = size) or 'terminate-first' (MinInstancesInService = 0). */
  readonly order: 'launch-first' | 'terminate-first';
  /** WaitOnResourceSignals: the replacement's user data sends cfn-signal. */
  readonly waitOnResourceSignals: boolean;
  /** PauseTime (signal timeout when waiting on signals). */
  readonly pauseTimeSeconds: number;
}

const POLL_SECONDS = 5;
const rolledBack = new WeakSet<World>();

/** True once a rolling update of this world rolled back (a replacement did not signal within PauseTime). */
export function rollingUpdateRolledBack(world: World): boolean {
  return rolledBack.has(world);
}

/** When the instance's user data would send cfn-signal: `running` + boot and `yum install aws-cfn-bootstrap`. */
function signalled(world: World, instance: AsgInstance, signals: Map<string, number>): boolean {
  const ec2 = world.ec2.instances.get(instance.id);
  if (!ec2 || ec2.state !== 'running') return false;
  let at = signals.get(instance.id);
  if (at === undefined) {
    const t = world.timings.cfnSignalAfterRunning;
    at = world.sim.now + world.rng.ec2.lognormal(t.median, t.sigma, t.min, t.max);
    signals.set(instance.id, at);
  }
  return world.sim.now >= at;
}

export async function rollingUpdate(world: World, options: RollingUpdateOptions): Promise<void> {
  const group = world.asg;
  group.reconcilePaused = true;
  group.imageId = world.newAmiId;
  const signals = new Map<string, number>();
  const until = async (condition: () => boolean, limit: number): Promise<boolean> => {
    const deadline = world.sim.now + limit;
    while (!condition()) {
      if (world.sim.now >= deadline) return false;
      await world.sim.sleep(POLL_SECONDS);
    }
    return true;
  };
  const ready = (fresh: AsgInstance): boolean =>
    options.waitOnResourceSignals ? signalled(world, fresh, signals) : fresh.lifecycleState === 'InService';
  for (;;) {
    const old = group
      .alive()
      .filter((i) => i.imageId !== world.newAmiId)
      .sort((a, b) => a.launchedAt - b.launchedAt);
    if (old.length === 0) return;
    const victim = old[0];
    if (options.order === 'terminate-first') {
      group.terminate(victim, 'CloudFormation rolling update: terminating an old instance');
    } else group.desired++;
    const fresh: AsgInstance = group.launch('CloudFormation rolling update');
    const ok = await until(() => ready(fresh), options.waitOnResourceSignals ? options.pauseTimeSeconds : Infinity);
    if (!ok) {
      rolledBack.add(world);
      group.imageId = world.oldAmiId;
      group.terminate(fresh, 'CloudFormation UPDATE_ROLLBACK: replacement did not signal in PauseTime', true);
      return;
    }
    if (!options.waitOnResourceSignals && options.pauseTimeSeconds > 0) await world.sim.sleep(options.pauseTimeSeconds);
    if (options.order === 'launch-first')
      group.terminate(victim, 'CloudFormation rolling update: terminating an old instance', true);
    await until(() => !group.instances.has(victim.id), Infinity);
  }
}
