/**
 * Simulated Auto Scaling group with lifecycle hooks, following
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html and
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LifecycleHook.html:
 * - launch: Pending → Pending:Wait (one action per launch hook) → Pending:Proceed → InService once EC2 is running;
 *   ABANDON on a launch action terminates the instance (terminate hooks still run) and the group replaces it;
 * - terminate: Terminating → Terminating:Wait → Terminating:Proceed → Terminated (EC2 shuts the host down);
 * - an action ends with CompleteLifecycleAction, or with the hook's DefaultResult when the heartbeat timeout elapses;
 *   RecordLifecycleActionHeartbeat extends it by one heartbeat timeout, never beyond the global timeout
 *   min(48 h, 100 × HeartbeatTimeout);
 * - each action emits "EC2 Instance-launch/terminate Lifecycle Action" to EventBridge
 *   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/prepare-for-lifecycle-notifications.html).
 * Desired capacity is reconciled periodically with the termination policy (OldestLaunchTemplate, OldestInstance); scale
 * in never picks an instance protected from scale in ("Use instance scale-in protection",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-protection.html). New instances are
 * protected when the group says so (`protect_from_scale_in`; the module sets it with capacity-provider managed
 * termination protection). *Not simulated*: ECS managed scaling, which owns the desired capacity of such groups and
 * removes protection from instances without tasks — desired capacity stays where the scenario sets it.
 * Launches go through EC2 (sim/aws/ec2.ts), which may refuse them (capacity, the RunInstances resource rate).
 */
import type { Simulation } from '../clock';
import type { Timings } from '../timings';
import { abandonMessage, ActivityLog, type Activity } from './autoscaling-activities';
import { LAUNCHING, TERMINATING, type AsgInstance, type HookSpec, type LifecycleAction } from './autoscaling-types';
import type { RunInstanceResult } from './ec2';
import { awsError } from './errors';
import { ACTIVE_STATUSES, type InstanceRefresh } from './instance-refresh';

export type { Activity } from './autoscaling-activities';
export type { AsgInstance, HookSpec, LifecycleAction, Transition } from './autoscaling-types';
export { LAUNCHING, TERMINATING } from './autoscaling-types';

/** What the group needs from the world (sim/world.ts's World satisfies it). */
export interface AsgContext {
  readonly region: string;
  readonly account: string;
  readonly sim: Simulation;
  readonly timings: Timings;
  readonly bus: {
    publish(detailType: string, source: string, resources: string[], detail: Record<string, unknown>): void;
  };
  readonly ec2: {
    runInstance(imageId: string, onRunning: (id: string) => void, existing?: boolean): RunInstanceResult;
    terminate(id: string, onTerminated: (id: string) => void): void;
  };
  readonly metrics: {
    asgChanged(): void;
    hookTimedOut(action: LifecycleAction, global: boolean): void;
    hookCompleted(action: LifecycleAction, result: string, by: 'api' | 'timeout', now: number): void;
  };
  readonly watchers: { actionStarted(group: AutoScalingGroup, action: LifecycleAction): void };
}

export class AutoScalingGroup {
  readonly arn: string;
  readonly instances = new Map<string, AsgInstance>();
  readonly log: ActivityLog;
  hooks: HookSpec[] = [];
  /** `protect_from_scale_in`: new instances start protected. */
  protectFromScaleIn = false;
  /** The version of the launch template the group uses (a Terraform apply that changes the template bumps it). */
  launchTemplateVersion = 1;
  refresh?: InstanceRefresh;
  /** Every refresh started on the group, oldest first (DescribeInstanceRefreshes lists them newest first). */
  readonly refreshes: InstanceRefresh[] = [];
  /**
   * Launch template `ImageId: resolve:ssm:<parameter>`: the AMI is resolved at each launch (undefined = a concrete AMI
   * id, `imageId`). With resolve:ssm every instance has the same launch template version, so OldestLaunchTemplate
   * cannot tell instances apart and scale-in falls through to OldestInstance.
   */
  imageResolver?: () => string;
  /** Another controller (CloudFormation rolling update) sets capacity itself. */
  reconcilePaused = false;
  /** ECS managed draining: called when an action of an ecs-managed hook starts. */
  managedHookListener?: (action: LifecycleAction) => void;
  /** Instances in the group per AMI (cheap completion checks). */
  readonly imageCounts = new Map<string, number>();
  private tokens = 0;

  constructor(
    private readonly world: AsgContext,
    readonly name: string,
    public imageId: string,
    public desired: number,
    public readonly minSize: number,
    public maxSize: number,
  ) {
    const uuid = '00000000-0000-0000-0000-000000000001';
    const account = `${world.region}:${world.account}`;
    this.arn = `arn:aws:autoscaling:${account}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;
    this.log = new ActivityLog(
      {
        region: world.region,
        account: world.account,
        now: () => world.sim.now,
        date: (at) => world.sim.date(at),
        publish: (detailType, source, resources, detail) => world.bus.publish(detailType, source, resources, detail),
      },
      name,
      this.arn,
    );
    world.sim.every(world.timings.asgTickSeconds, world.timings.asgTickSeconds, () => this.reconcile());
  }

  /** DescribeScalingActivities' list, newest first. */
  get activities(): Activity[] {
    return this.log.activities;
  }

  alive(): AsgInstance[] {
    return [...this.instances.values()].filter((i) => !i.lifecycleState.startsWith('Terminating'));
  }

  /** The AMI a launch would use now (resolve:ssm: resolved at this moment). */
  launchImageId(): string {
    return this.imageResolver?.() ?? this.imageId;
  }

  /** Launches one instance from the current launch template; `imageId` overrides it (initial old fleet). */
  launch(cause: string, imageId = this.launchImageId(), skipHooks = false): AsgInstance {
    const instance = this.tryLaunch(cause, imageId, skipHooks);
    if (!instance) throw new Error(`[sim] EC2 refused a launch that cannot fail in this scenario (${cause})`);
    return instance;
  }

  /**
   * Like launch(), but EC2 may refuse (capacity, RunInstances rate): the launch activity then fails without an
   * instance, "EC2 Instance Launch Unsuccessful" is emitted, and the caller (desired-capacity reconcile, refresh)
   * retries later. The fleet a scenario starts from (`skipHooks`) existed before the scenario and never fails.
   */
  tryLaunch(cause: string, imageId = this.launchImageId(), skipHooks = false): AsgInstance | undefined {
    const result = this.world.ec2.runInstance(imageId, (id) => this.ec2Running(id), skipHooks);
    if (!result.launched) {
      const activity = this.log.start(`Launching a new EC2 instance.  Status Reason: ${result.message}`, cause);
      this.log.end(activity, 'Failed', result.message);
      this.log.publish('EC2 Instance Launch Unsuccessful', undefined, activity, 'Failed');
      return undefined;
    }
    const instance: AsgInstance = {
      id: result.instance.id,
      imageId,
      launchTemplateVersion: this.launchTemplateVersion,
      protectedFromScaleIn: this.protectFromScaleIn,
      lifecycleState: 'Pending',
      launchedAt: this.world.sim.now,
      hookQueue: skipHooks ? [] : this.hooks.filter((h) => h.transition === LAUNCHING),
      launchAbandoned: false,
      ec2Running: false,
    };
    this.instances.set(instance.id, instance);
    this.imageCounts.set(imageId, (this.imageCounts.get(imageId) ?? 0) + 1);
    instance.launchActivity = this.log.start(`Launching a new EC2 instance: ${instance.id}`, cause);
    this.nextHook(instance);
    return instance;
  }

  private ec2Running(id: string): void {
    const instance = this.instances.get(id);
    if (!instance) return;
    instance.ec2Running = true;
    if (instance.lifecycleState === 'Pending:Proceed' || instance.lifecycleState === 'Pending')
      this.maybeInService(instance);
  }

  private maybeInService(instance: AsgInstance): void {
    if (instance.hookQueue.length > 0 || instance.action || !instance.ec2Running) return;
    if (!instance.lifecycleState.startsWith('Pending')) return;
    instance.lifecycleState = 'InService';
    instance.inServiceAt = this.world.sim.now;
    this.log.end(instance.launchActivity, 'Successful');
    this.world.metrics.asgChanged();
    this.log.publish('EC2 Instance Launch Successful', instance.id, instance.launchActivity, 'InProgress');
  }

  terminate(instance: AsgInstance, cause: string, decrementDesired = false): void {
    if (instance.lifecycleState.startsWith('Terminating') || instance.lifecycleState === 'Terminated') return;
    if (decrementDesired) this.desired--;
    if (instance.action && !instance.action.done) instance.action.done = true;
    instance.action = undefined;
    instance.lifecycleState = 'Terminating';
    instance.hookQueue = this.hooks.filter((h) => h.transition === TERMINATING);
    this.log.start(`Terminating EC2 instance: ${instance.id}`, cause);
    this.world.metrics.asgChanged();
    this.nextHook(instance);
  }

  private nextHook(instance: AsgInstance): void {
    const hook = instance.hookQueue.shift();
    const launching = instance.lifecycleState.startsWith('Pending');
    if (!hook) {
      if (launching) {
        instance.lifecycleState = 'Pending:Proceed';
        this.maybeInService(instance);
      } else {
        this.proceedTermination(instance);
      }
      return;
    }
    this.tokens++;
    const now = this.world.sim.now;
    const action: LifecycleAction = {
      hook,
      token: `${this.tokens.toString(16).padStart(8, '0')}-0000-4000-8000-${instance.id.slice(2, 14)}`,
      instanceId: instance.id,
      startedAt: now,
      heartbeatDeadline: now + hook.heartbeatTimeout,
      globalDeadline: now + Math.min(172800, 100 * hook.heartbeatTimeout),
      done: false,
    };
    instance.action = action;
    instance.lifecycleState = launching ? 'Pending:Wait' : 'Terminating:Wait';
    this.scheduleTimeout(instance, action);
    this.world.watchers.actionStarted(this, action);
    if (hook.owner === 'ecs-managed') this.managedHookListener?.(action);
    else {
      this.world.bus.publish(
        launching ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action',
        'aws.autoscaling',
        [this.arn],
        {
          LifecycleActionToken: action.token,
          AutoScalingGroupName: this.name,
          LifecycleHookName: hook.name,
          EC2InstanceId: instance.id,
          LifecycleTransition: hook.transition,
          Origin: launching ? 'EC2' : 'AutoScalingGroup',
          Destination: launching ? 'AutoScalingGroup' : 'EC2',
        },
      );
    }
  }

  private scheduleTimeout(instance: AsgInstance, action: LifecycleAction): void {
    this.world.sim.at(action.heartbeatDeadline, () => {
      if (action.done || instance.action !== action) return;
      if (this.world.sim.now < action.heartbeatDeadline) return; // a heartbeat moved the deadline
      const global = this.world.sim.now >= action.globalDeadline;
      this.world.metrics.hookTimedOut(action, global);
      this.finish(instance, action, action.hook.defaultResult, 'timeout');
    });
  }

  private finish(
    instance: AsgInstance,
    action: LifecycleAction,
    result: 'CONTINUE' | 'ABANDON',
    by: 'api' | 'timeout',
  ): void {
    action.done = true;
    instance.action = undefined;
    this.world.metrics.hookCompleted(action, result, by, this.world.sim.now);
    if (instance.lifecycleState === 'Pending:Wait') {
      if (result === 'ABANDON') {
        instance.launchAbandoned = true;
        instance.hookQueue = [];
        this.refresh?.onLaunchFailed(instance);
        this.log.end(instance.launchActivity, 'Cancelled', abandonMessage(action.token));
        this.log.publish('EC2 Instance Launch Unsuccessful', instance.id, instance.launchActivity, 'Cancelled');
        this.terminate(instance, 'lifecycle action ABANDON on launch');
        return;
      }
      this.nextHook(instance);
      return;
    }
    if (result === 'ABANDON') instance.hookQueue = [];
    this.nextHook(instance);
  }

  private proceedTermination(instance: AsgInstance): void {
    instance.lifecycleState = 'Terminating:Proceed';
    this.world.ec2.terminate(instance.id, () => {
      instance.lifecycleState = 'Terminated';
      this.instances.delete(instance.id);
      this.imageCounts.set(instance.imageId, (this.imageCounts.get(instance.imageId) ?? 1) - 1);
      const activity = this.log.terminationOf(instance.id);
      this.log.end(activity, 'Successful');
      this.world.metrics.asgChanged();
      this.log.publish('EC2 Instance Terminate Successful', instance.id, activity, 'InProgress');
    });
  }

  private findAction(input: Record<string, unknown>): { instance: AsgInstance; action: LifecycleAction } {
    const hookName = input.LifecycleHookName as string | undefined;
    const token = input.LifecycleActionToken as string | undefined;
    const instanceId = input.InstanceId as string | undefined;
    if (!hookName || input.AutoScalingGroupName === undefined || (!token && !instanceId)) {
      throw awsError(
        'AutoScaling',
        'ValidationError',
        'LifecycleHookName, AutoScalingGroupName and InstanceId or token are required',
      );
    }
    if (input.AutoScalingGroupName !== this.name) {
      throw awsError(
        'AutoScaling',
        'ValidationError',
        `AutoScalingGroup name not found - ${String(input.AutoScalingGroupName)}`,
      );
    }
    for (const instance of this.instances.values()) {
      const action = instance.action;
      if (!action || action.done || action.hook.name !== hookName) continue;
      if (token ? action.token === token : action.instanceId === instanceId) return { instance, action };
    }
    throw awsError(
      'AutoScaling',
      'ValidationError',
      token
        ? `No active Lifecycle Action found with token ${token}`
        : `No active Lifecycle Action found with instance ID ${instanceId}`,
    );
  }

  /** CompleteLifecycleAction. */
  complete(input: Record<string, unknown>): void {
    const result = input.LifecycleActionResult;
    if (result !== 'CONTINUE' && result !== 'ABANDON') {
      throw awsError('AutoScaling', 'ValidationError', `Invalid LifecycleActionResult ${String(result)}`);
    }
    const { instance, action } = this.findAction(input);
    this.finish(instance, action, result, 'api');
  }

  /** RecordLifecycleActionHeartbeat. */
  heartbeat(input: Record<string, unknown>): void {
    const { instance, action } = this.findAction(input);
    action.heartbeatDeadline = Math.min(action.globalDeadline, this.world.sim.now + action.hook.heartbeatTimeout);
    this.scheduleTimeout(instance, action);
  }

  /** ECS managed draining keeps its own action alive without going through our fake clients. */
  heartbeatInternal(action: LifecycleAction): void {
    const instance = this.instances.get(action.instanceId);
    if (!instance || instance.action !== action || action.done) return;
    action.heartbeatDeadline = Math.min(action.globalDeadline, this.world.sim.now + action.hook.heartbeatTimeout);
    this.scheduleTimeout(instance, action);
  }

  /** ECS managed draining completes its own hook without going through our fake clients. */
  completeInternal(action: LifecycleAction, result: 'CONTINUE' | 'ABANDON'): void {
    const instance = this.instances.get(action.instanceId);
    if (instance && instance.action === action && !action.done) this.finish(instance, action, result, 'api');
  }

  /** Desired-capacity reconcile with termination policies OldestLaunchTemplate, OldestInstance. */
  reconcile(): void {
    if (this.reconcilePaused || (this.refresh && ACTIVE_STATUSES.has(this.refresh.status))) return;
    const alive = this.alive();
    if (alive.length < this.desired) {
      for (let i = alive.length; i < this.desired; i++)
        this.tryLaunch('an instance was started in response to a difference between desired and actual capacity');
    } else if (alive.length > this.desired) {
      const current = this.imageResolver ? undefined : this.imageId;
      const victims = alive
        .filter((i) => !i.protectedFromScaleIn)
        .sort((a, b) => Number(a.imageId === current) - Number(b.imageId === current) || a.launchedAt - b.launchedAt)
        .slice(0, alive.length - this.desired);
      for (const victim of victims)
        this.terminate(
          victim,
          'an instance was taken out of service in response to a difference between desired and actual capacity',
        );
    }
  }
}
