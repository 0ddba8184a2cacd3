/**
 * Drain gate run: load container instances, tasks and services for all targets in batched calls, decide per
 * instance, perform the side effects (DRAINING, StopTask, heartbeat, state attributes, completion), log, measure.
 */
import { mapWithLimit, unique } from '../shared/collections';
import { completeLifecycleAction, recordLifecycleHeartbeat } from './adapters/autoscaling';
import { findContainerInstances, putInstanceAttributes, setDraining } from './adapters/ecs-instances';
import { describeServices, describeTasks, listTaskArns, stopTask } from './adapters/ecs-tasks';
import { GateDeps } from './deps';
import { DrainDecision, decideDrain, describeWait, serviceNameOf } from './drain-decision';
import { drainStateAttributes, readDrainState } from './drain-state';
import { GateOutcome, evaluateEach, logDecision } from './outcome';
import { GateTarget } from './targets';
import { ContainerInstanceView, TERMINATE_WAIT_STATE, TaskView } from './types';

/** ListTasks calls in flight during a sweep: fast, yet far below the ECS API rate limits. */
const LIST_TASKS_CONCURRENCY = 5;

export async function runDrainGate(targets: readonly GateTarget[], deps: GateDeps): Promise<GateOutcome[]> {
  const now = deps.now();
  const cluster = deps.config.clusterArn;
  const ids = unique(targets.filter((target) => target.lifecycleState === TERMINATE_WAIT_STATE).map((target) => target.instanceId));
  const containerInstances = ids.length > 0 ? await findContainerInstances(deps.ecs, cluster, ids) : new Map<string, ContainerInstanceView>();

  // Tasks of every registered instance: ListTasks per instance, then DescribeTasks in batches across all instances.
  const registered = [...containerInstances.values()].filter((ci) => ci.status !== 'INACTIVE');
  const arnLists = await mapWithLimit(registered, LIST_TASKS_CONCURRENCY, (ci) => listTaskArns(deps.ecs, cluster, ci.arn));
  const instanceOfTask = new Map<string, string>();
  registered.forEach((ci, index) => arnLists[index].forEach((taskArn) => instanceOfTask.set(taskArn, ci.arn)));
  const tasks = await describeTasks(deps.ecs, cluster, [...instanceOfTask.keys()]);
  const tasksByInstance = new Map<string, TaskView[]>();
  for (const task of tasks) {
    const ciArn = instanceOfTask.get(task.taskArn) ?? task.containerInstanceArn;
    if (ciArn) tasksByInstance.set(ciArn, [...(tasksByInstance.get(ciArn) ?? []), task]);
  }
  const serviceNames = unique(tasks.map(serviceNameOf).filter((name): name is string => name !== undefined));
  const services = serviceNames.length > 0 ? await describeServices(deps.ecs, cluster, serviceNames) : [];

  return evaluateEach(targets, deps, 'drain', async (target) => {
    const ci = containerInstances.get(target.instanceId);
    const instanceTasks = ci ? (tasksByInstance.get(ci.arn) ?? []) : [];
    const names = new Set(instanceTasks.map(serviceNameOf));
    const decision = decideDrain(
      {
        instanceId: target.instanceId,
        lifecycleState: target.lifecycleState,
        containerInstance: ci,
        tasks: instanceTasks,
        services: services.filter((service) => names.has(service.name)),
        state: readDrainState(ci),
        lifecycleEventTime: target.eventTime,
      },
      {
        maxDrainSeconds: deps.config.maxDrainSeconds,
        standaloneTaskGraceSeconds: deps.config.standaloneTaskGraceSeconds,
        heartbeatTimeoutSeconds: target.nodeGroup.terminateHeartbeatSeconds,
      },
      now,
    );
    return act(target, ci, decision, deps, now);
  });
}

async function act(
  target: GateTarget,
  ci: ContainerInstanceView | undefined,
  decision: DrainDecision,
  deps: GateDeps,
  now: Date,
): Promise<GateOutcome> {
  const cluster = deps.config.clusterArn;
  const ref = { asgName: target.asgName, hookName: target.hookName, instanceId: target.instanceId, token: target.token };
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
      if (decision.elapsedSeconds !== undefined) deps.metrics.record('DrainSeconds', 'Seconds', decision.elapsedSeconds, dimensions);
      if (decision.forced) deps.metrics.record('DrainsForced', 'Count', 1, dimensions);
    }
  } else if (decision.decision === 'WAIT' && ci !== undefined) {
    if (decision.setDraining) {
      await setDraining(deps.ecs, cluster, ci.arn);
      actions.push('UpdateContainerInstancesState:DRAINING');
    }
    for (const taskArn of decision.stopTaskArns) {
      const why =
        `ecs-ami-rollout: instance ${target.instanceId} is being replaced; standalone task stopped after the ` +
        `${deps.config.standaloneTaskGraceSeconds} s drain grace period`;
      await stopTask(deps.ecs, cluster, taskArn, why);
    }
    if (decision.stopTaskArns.length > 0) {
      actions.push(`StopTask×${decision.stopTaskArns.length}`);
      deps.metrics.record('StandaloneTasksStopped', 'Count', decision.stopTaskArns.length, dimensions);
    }
    let heartbeatAt: Date | undefined;
    if (decision.heartbeat) {
      if ((await recordLifecycleHeartbeat(deps.autoScaling, ref)) === 'already-complete') {
        finalDecision = 'NOOP';
        reason = `lifecycle action already complete (was waiting: ${decision.reason})`;
      } else {
        actions.push('RecordLifecycleActionHeartbeat');
        heartbeatAt = now;
      }
    }
    const attributes = drainStateAttributes({
      drainStartedAt: decision.recordDrainStartedAt,
      lastHeartbeatAt: heartbeatAt,
      standaloneStoppedAt: decision.stopTaskArns.length > 0 ? now : undefined,
    });
    if (finalDecision === 'WAIT' && Object.keys(attributes).length > 0) {
      await putInstanceAttributes(deps.ecs, cluster, ci.arn, attributes);
      actions.push('PutAttributes');
    }
  }

  const outcome: GateOutcome = {
    instanceId: target.instanceId,
    nodeGroup: target.nodeGroup.name,
    hook: target.hookName,
    decision: finalDecision,
    reason,
    actions,
  };
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
