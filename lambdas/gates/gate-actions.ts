/**
 * The writes of a chunk of gate decisions, batched where AWS lets us batch and isolated per instance everywhere else:
 * heartbeats first (they keep the hooks alive if a later write is throttled), then DRAINING (10 instances per
 * UpdateContainerInstancesState), StopTask, lifecycle completions, and the drain state (10 attributes of any instances
 * per PutAttributes). A throttled write only affects the instances it was for (RETRY_LATER: the next trigger decides
 * again); any other error marks them ERROR, and nothing is completed for them afterwards.
 *
 * Completions decided on a sweep's listing read the lifecycle state again first when the listing is more than
 * STATE_FRESH_MS old, a group at a time: during a large rollout a sweep and the event-driven checks (in another
 * execution environment) decide on many of the same instances, and in Auto Scaling's single shared API bucket a
 * completion that answers "No active Lifecycle Action" costs as much as one that completes. One
 * DescribeAutoScalingInstances per group of completions replaces those wasted calls. (Checks triggered by events read
 * their state for the invocation itself and rarely collide; they complete at once.)
 */
import { RetryLaterError, errorMessage, errorName } from '../shared/aws-errors';
import { chunk, mapWithLimit } from '../shared/collections';
import { completeLifecycleAction, describeAsgInstances, recordLifecycleHeartbeat } from './adapters/autoscaling';
import { putAttributes, setDraining } from './adapters/ecs-instances';
import { stopTask } from './adapters/ecs-tasks';
import { InstanceCheck } from './checks';
import { GateDeps } from './deps';
import { OutcomeDecision } from './outcome';

/** Instances acted on in parallel (each does a few writes): well below the API rate limits. */
const ACT_CONCURRENCY = 5;
/** A lifecycle state read longer ago than this is read again before its action is completed. */
export const STATE_FRESH_MS = 2_000;
/** Completions per group: the states of a group are read again together, just before its completions. */
export const COMPLETIONS_PER_GROUP = 10;

/** One instance's decision and the writes it needs; the executor updates decision, reason and actions. */
export interface Plan {
  readonly check: InstanceCheck;
  decision: OutcomeDecision;
  reason: string;
  readonly actions: string[];
  readonly containerInstanceArn?: string;
  readonly heartbeat: boolean;
  readonly setDraining: boolean;
  readonly stopTaskArns: readonly string[];
  readonly stopReason?: string;
  readonly complete?: 'CONTINUE' | 'ABANDON';
  /** Drain state to record, given the heartbeat just sent (only written while the instance keeps waiting). */
  readonly attributes?: (heartbeatSentAt: Date | undefined) => Readonly<Record<string, string>>;
  /** Set once the heartbeat went out. */
  heartbeatSentAt?: Date;
}

const ref = (check: InstanceCheck) => ({
  asgName: check.asgName,
  hookName: check.hookName,
  instanceId: check.instanceId,
  token: check.token,
});

function fail(plan: Plan, error: unknown): void {
  if (error instanceof RetryLaterError) {
    plan.decision = 'RETRY_LATER';
    plan.reason = `${error.message} (was: ${plan.reason})`;
  } else {
    plan.decision = 'ERROR';
    plan.reason = `${errorName(error)}: ${errorMessage(error)}`;
  }
}

async function each(plans: readonly Plan[], act: (plan: Plan) => Promise<void>): Promise<void> {
  await mapWithLimit(plans, ACT_CONCURRENCY, async (plan) => {
    try {
      await act(plan);
    } catch (error) {
      fail(plan, error);
    }
  });
}

async function batch(plans: readonly Plan[], act: (plans: readonly Plan[]) => Promise<void>): Promise<void> {
  if (plans.length === 0) return;
  try {
    await act(plans);
  } catch (error) {
    for (const plan of plans) fail(plan, error);
  }
}

export async function executePlans(plans: readonly Plan[], deps: GateDeps, now: Date): Promise<void> {
  const cluster = deps.config.clusterArn;
  const waiting = (): Plan[] => plans.filter((plan) => plan.decision === 'WAIT');

  await each(
    waiting().filter((plan) => plan.heartbeat),
    async (plan) => {
      if ((await recordLifecycleHeartbeat(deps.autoScaling, ref(plan.check))) === 'already-complete') {
        plan.decision = 'NOOP';
        plan.reason = `lifecycle action already complete (was waiting: ${plan.reason})`;
        return;
      }
      plan.actions.push('RecordLifecycleActionHeartbeat');
      plan.heartbeatSentAt = now;
    },
  );
  await batch(
    waiting().filter((plan) => plan.setDraining && plan.containerInstanceArn !== undefined),
    async (drains) => {
      const failed = await setDraining(
        deps.ecs,
        cluster,
        drains.map((plan) => plan.containerInstanceArn as string),
      );
      for (const plan of drains) {
        if (!failed.has(plan.containerInstanceArn as string))
          plan.actions.push('UpdateContainerInstancesState:DRAINING');
      }
    },
  );
  await each(
    waiting().filter((plan) => plan.stopTaskArns.length > 0),
    async (plan) => {
      for (const taskArn of plan.stopTaskArns)
        await stopTask(deps.ecs, cluster, taskArn, plan.stopReason ?? 'ecs-ami-rollout');
      plan.actions.push(`StopTask×${plan.stopTaskArns.length}`);
    },
  );
  const completions = plans.filter((plan) => plan.complete !== undefined && plan.decision === plan.complete);
  for (const group of chunk(completions, COMPLETIONS_PER_GROUP)) {
    await dropCompletedMeanwhile(group, deps);
    await each(
      group.filter((plan) => plan.decision === plan.complete),
      async (plan) => {
        const result = plan.complete as 'CONTINUE' | 'ABANDON';
        if ((await completeLifecycleAction(deps.autoScaling, ref(plan.check), result)) === 'already-complete') {
          plan.decision = 'NOOP';
          plan.reason = `lifecycle action already complete (would have been ${result}: ${plan.reason})`;
          return;
        }
        plan.actions.push(`CompleteLifecycleAction:${result}`);
      },
    );
  }
  const writes = new Map<string, Readonly<Record<string, string>>>();
  const writers: Plan[] = [];
  for (const plan of waiting()) {
    if (plan.containerInstanceArn === undefined || plan.attributes === undefined) continue;
    const values = plan.attributes(plan.heartbeatSentAt);
    if (Object.keys(values).length === 0) continue;
    writes.set(plan.containerInstanceArn, values);
    writers.push(plan);
  }
  try {
    const full = await putAttributes(deps.ecs, cluster, writes);
    for (const plan of writers) {
      if (!full.has(plan.containerInstanceArn as string)) plan.actions.push('PutAttributes');
      else {
        deps.logger.warn('drain state not recorded', {
          instanceId: plan.check.instanceId,
          containerInstanceArn: plan.containerInstanceArn,
          reason: 'the container instance has 10 custom attributes, the most ECS allows; delete one of yours',
        });
      }
    }
  } catch (error) {
    // Best effort when throttled: the environment remembers the heartbeat, the drain start is re-derived; a lost
    // record costs a spare heartbeat or a later alert, never a decision.
    if (!(error instanceof RetryLaterError)) for (const plan of writers) fail(plan, error);
  }
}

/**
 * Reads the lifecycle state of the group's stale plans again (one call per 50); a plan whose instance left the state
 * it was decided in (another check completed it) becomes NOOP. Best effort: when the read fails (throttled) the plans
 * are completed as decided, where "No active Lifecycle Action" stays harmless.
 */
async function dropCompletedMeanwhile(group: readonly Plan[], deps: GateDeps): Promise<void> {
  const now = deps.now().getTime();
  const stale = group.filter(
    (plan) => plan.check.listedBySweep && now - plan.check.stateReadAt.getTime() > STATE_FRESH_MS,
  );
  if (stale.length === 0) return;
  let fresh: Awaited<ReturnType<typeof describeAsgInstances>>;
  try {
    fresh = await describeAsgInstances(
      deps.autoScaling,
      stale.map((plan) => plan.check.instanceId),
    );
  } catch {
    return;
  }
  for (const plan of stale) {
    const state = fresh.get(plan.check.instanceId)?.lifecycleState;
    if (state === plan.check.lifecycleState) continue;
    plan.decision = 'NOOP';
    plan.reason = `${plan.check.instanceId} is ${state ?? 'gone from its group'} now (another check completed it)`;
  }
}
