/**
 * Drain gate run: load container instances for all targets in batched calls, list tasks and services only for the
 * instances whose check needs them (`needsTaskDetail`), decide per instance, perform the side effects (DRAINING,
 * StopTask, heartbeat, state attributes, completion), log, measure. A throttled read only affects the instances it
 * was for, and those still get their heartbeat when due (throttling delays a decision, never lets a hook expire).
 */
import { RetryLaterError } from '../shared/aws-errors';
import { unique } from '../shared/collections';
import { completeLifecycleAction, recordLifecycleHeartbeat } from './adapters/autoscaling';
import { lookupContainerInstances, putInstanceAttributes, setDraining } from './adapters/ecs-instances';
import { GateDeps } from './deps';
import { stopTask } from './adapters/ecs-tasks';
import {
  DrainDecision,
  DrainPolicy,
  decideDrain,
  describeWait,
  heartbeatDueWhileThrottled,
  countedTasks,
  needsTaskDetail,
  serviceNameOf,
} from './drain-decision';
import { drainStateAttributes, readDrainState } from './drain-state';
import { loadTaskDetail } from './drain-task-detail';
import { GateMemory } from './memory';
import { GateOutcome, alertOperators, evaluateEach, logDecision, outcomeOf } from './outcome';
import { GateTarget } from './targets';
import { ContainerInstanceView, TERMINATE_WAIT_STATE, TaskView } from './types';

export async function runDrainGate(
  targets: readonly GateTarget[],
  deps: GateDeps,
  memory = new GateMemory(),
): Promise<GateOutcome[]> {
  const now = deps.now();
  const cluster = deps.config.clusterArn;
  const waiting = targets.filter((target) => target.lifecycleState === TERMINATE_WAIT_STATE);
  const ids = unique(waiting.map((target) => target.instanceId));
  const hints = new Map(
    waiting.flatMap((target) =>
      target.containerInstanceArn ? [[target.instanceId, target.containerInstanceArn] as const] : [],
    ),
  );
  const lookup =
    ids.length > 0 ? await lookupContainerInstances(deps.ecs, cluster, ids, memory.knownArns(ids, hints)) : undefined;
  const containerInstances = lookup?.byEc2Id ?? new Map<string, ContainerInstanceView>();
  for (const [id, ci] of containerInstances) memory.rememberArn(id, ci.arn);

  // The cheap path: tasks and services are read only for the instances whose decision depends on them.
  const policyOf = (target: GateTarget): DrainPolicy => ({
    maxDrainSeconds: deps.config.maxDrainSeconds,
    standaloneTaskGraceSeconds: deps.config.standaloneTaskGraceSeconds,
    heartbeatTimeoutSeconds: target.nodeGroup.terminateHeartbeatSeconds,
  });
  const basics = (target: GateTarget) => {
    const ci = containerInstances.get(target.instanceId);
    return {
      instanceId: target.instanceId,
      lifecycleState: target.lifecycleState,
      containerInstance: ci,
      state: readDrainState(ci),
      lifecycleEventTime: target.eventTime,
    };
  };
  const detailed = unique(
    waiting.flatMap((target) => {
      const ci = containerInstances.get(target.instanceId);
      return ci && needsTaskDetail(basics(target), policyOf(target), now).needed ? [ci.arn] : [];
    }),
  );
  // An emptied DRAINING instance listed before by this environment: its (stopped) tasks still name its services.
  const emptied = new Map<string, readonly TaskView[]>();
  for (const ci of containerInstances.values()) {
    const remembered =
      ci.status === 'DRAINING' && countedTasks(ci) === 0 ? memory.emptiedTasks(ci.arn, now) : undefined;
    if (remembered && detailed.includes(ci.arn)) emptied.set(ci.arn, remembered);
  }
  const detail = await loadTaskDetail(deps.ecs, cluster, detailed, emptied);
  for (const ci of containerInstances.values()) {
    const tasks = detail.tasksByInstance.get(ci.arn);
    if (tasks && ci.status === 'DRAINING' && countedTasks(ci) === 0) memory.rememberEmptiedTasks(ci.arn, tasks, now);
  }

  return evaluateEach(targets, deps, 'drain', async (target) => {
    const observed = basics(target);
    const ci = observed.containerInstance;
    const throttled = lookup?.throttled.get(target.instanceId) ?? (ci ? detail.throttled.get(ci.arn) : undefined);
    if (throttled && target.lifecycleState === TERMINATE_WAIT_STATE)
      return heartbeatWhileThrottled(target, ci, throttled, deps, memory, now);
    const tasks = ci ? detail.tasksByInstance.get(ci.arn) : undefined;
    const names = new Set((tasks ?? []).map(serviceNameOf));
    const decision = decideDrain(
      { ...observed, tasks, services: detail.services.filter((service) => names.has(service.name)) },
      policyOf(target),
      now,
    );
    return act(target, ci, decision, deps, memory, now);
  });
}

/**
 * Heartbeat first: the check could not read everything it needs (throttled), so nothing is decided, but the hook is
 * kept alive when its heartbeat is due. Logged as RETRY_LATER; the next event or sweep decides.
 */
async function heartbeatWhileThrottled(
  target: GateTarget,
  ci: ContainerInstanceView | undefined,
  throttled: RetryLaterError,
  deps: GateDeps,
  memory: GateMemory,
  now: Date,
): Promise<GateOutcome> {
  const ref = {
    asgName: target.asgName,
    hookName: target.hookName,
    instanceId: target.instanceId,
    token: target.token,
  };
  const base = { instanceId: target.instanceId, nodeGroup: target.nodeGroup.name, hook: target.hookName };
  const actions: string[] = [];
  const recorded = ci ? readDrainState(ci).lastHeartbeatAt : undefined;
  if (
    heartbeatDueWhileThrottled(
      recorded,
      memory.heartbeatSentAt(target.instanceId),
      target.nodeGroup.terminateHeartbeatSeconds,
      now,
    )
  ) {
    if ((await recordLifecycleHeartbeat(deps.autoScaling, ref)) === 'already-complete') {
      const outcome: GateOutcome = { ...base, decision: 'NOOP', reason: 'lifecycle action already complete', actions };
      logDecision(deps, 'drain', 'info', outcome, { asgName: target.asgName, containerInstanceArn: ci?.arn ?? null });
      return outcome;
    }
    actions.push('RecordLifecycleActionHeartbeat');
    memory.rememberHeartbeat(target.instanceId, now);
    if (ci) {
      try {
        await putInstanceAttributes(
          deps.ecs,
          deps.config.clusterArn,
          ci.arn,
          drainStateAttributes({ lastHeartbeatAt: now }),
        );
        actions.push('PutAttributes');
      } catch (error) {
        // Best effort: the environment remembers the heartbeat; a lost record costs one spare heartbeat later.
        if (!(error instanceof RetryLaterError)) throw error;
      }
    }
  }
  const outcome: GateOutcome = { ...base, decision: 'RETRY_LATER', reason: throttled.message, actions };
  logDecision(deps, 'drain', 'warn', outcome, { asgName: target.asgName, containerInstanceArn: ci?.arn ?? null });
  return outcome;
}

async function act(
  target: GateTarget,
  ci: ContainerInstanceView | undefined,
  decision: DrainDecision,
  deps: GateDeps,
  memory: GateMemory,
  now: Date,
): Promise<GateOutcome> {
  const cluster = deps.config.clusterArn;
  const ref = {
    asgName: target.asgName,
    hookName: target.hookName,
    instanceId: target.instanceId,
    token: target.token,
  };
  const dimensions = { cluster: deps.config.clusterName, nodeGroup: target.nodeGroup.name };
  const actions: string[] = [];
  let finalDecision = decision.decision;
  let reason = decision.reason;

  if (decision.decision === 'CONTINUE') {
    const result = await completeLifecycleAction(deps.autoScaling, ref, 'CONTINUE');
    if (result === 'already-complete') {
      finalDecision = 'NOOP';
      reason = `lifecycle action already complete (would have continued: ${decision.reason})`;
    } else {
      actions.push('CompleteLifecycleAction:CONTINUE');
      if (decision.elapsedSeconds !== undefined)
        deps.metrics.record('DrainSeconds', 'Seconds', decision.elapsedSeconds, dimensions);
      if (decision.forced) {
        deps.metrics.record('DrainsForced', 'Count', 1, dimensions);
        await alertOperators(deps, target, {
          kind: 'drain.forced',
          severity: 'critical',
          title: `Drain forced: ${target.instanceId} terminated with work still on it`,
          reason: decision.reason,
        });
      }
    }
  } else if (decision.decision === 'WAIT' && ci !== undefined) {
    // Heartbeat first: it is what keeps the hook alive if a later write of this check is throttled.
    let heartbeatAt: Date | undefined;
    if (decision.heartbeat) {
      if ((await recordLifecycleHeartbeat(deps.autoScaling, ref)) === 'already-complete') {
        finalDecision = 'NOOP';
        reason = `lifecycle action already complete (was waiting: ${decision.reason})`;
      } else {
        actions.push('RecordLifecycleActionHeartbeat');
        heartbeatAt = now;
        memory.rememberHeartbeat(target.instanceId, now);
      }
    }
    if (finalDecision === 'WAIT' && decision.setDraining) {
      await setDraining(deps.ecs, cluster, ci.arn);
      actions.push('UpdateContainerInstancesState:DRAINING');
    }
    if (finalDecision === 'WAIT') {
      for (const taskArn of decision.stopTaskArns) {
        const why =
          `ecs-ami-rollout: instance ${target.instanceId} is being replaced; standalone task stopped after the ` +
          `${deps.config.standaloneTaskGraceSeconds} s drain grace period`;
        await stopTask(deps.ecs, cluster, taskArn, why);
      }
    }
    if (finalDecision === 'WAIT' && decision.stopTaskArns.length > 0) {
      actions.push(`StopTask×${decision.stopTaskArns.length}`);
      deps.metrics.record('StandaloneTasksStopped', 'Count', decision.stopTaskArns.length, dimensions);
    }
    const attributes = drainStateAttributes({
      drainStartedAt: decision.recordDrainStartedAt,
      lastHeartbeatAt: heartbeatAt,
      standaloneStoppedAt: decision.recordStandaloneCheckedAt,
    });
    if (finalDecision === 'WAIT' && Object.keys(attributes).length > 0) {
      await putInstanceAttributes(deps.ecs, cluster, ci.arn, attributes);
      actions.push('PutAttributes');
    }
  }

  const outcome = outcomeOf(target, finalDecision, reason, actions);
  // A forced drain is an alert: the instance is terminated with work still on it.
  const level = decision.forced && finalDecision === 'CONTINUE' ? 'error' : 'info';
  logDecision(deps, 'drain', level, outcome, {
    asgName: target.asgName,
    containerInstanceArn: ci?.arn ?? null,
    lifecycleState: target.lifecycleState ?? null,
    elapsedSeconds: decision.elapsedSeconds ?? null,
    forced: decision.forced,
    waitingOn: describeWait(decision.waitingOn),
  });
  return outcome;
}
