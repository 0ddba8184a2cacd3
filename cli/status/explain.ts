/**
 * Why an instance waits: the gates' own pure decision functions (`decideLaunch` / `decideDrain`, lambdas/gates) run on
 * freshly observed state, loaded through the gates' own adapters. The CLI never acts on the decision; it prints it.
 */
import { SendClient } from '../../lambdas/shared/aws-client';
import { unique } from '../../lambdas/shared/collections';
import { describeServices, describeTasks, listTaskArns } from '../../lambdas/gates/adapters/ecs-tasks';
import {
  ContainerInstanceView,
  DEFAULT_JOIN_DEADLINE_SECONDS,
  DEFAULT_MAX_DRAIN_SECONDS,
  DEFAULT_STANDALONE_TASK_GRACE_SECONDS,
  HELD_ALERT_INTERVAL_SECONDS,
  Ec2InstanceView,
  LAUNCH_WAIT_STATE,
  TaskView,
  decideDrain,
  decideLaunch,
  readDrainState,
  serviceNameOf,
} from './gate-surface';
import { DEFAULTS } from '../../lib/defaults';
import { WaitingInstanceView } from './types';

/** The gates' settings (GATE_CONFIG of the deployed Lambdas; the CLI cannot read it and uses the defaults or flags). */
export interface GatePolicyOptions {
  readonly joinDeadlineSeconds: number;
  readonly maxDrainSeconds: number;
  readonly standaloneTaskGraceSeconds: number;
  readonly requireHealthyInstance: boolean;
}

export const DEFAULT_GATE_POLICY: GatePolicyOptions = {
  joinDeadlineSeconds: DEFAULT_JOIN_DEADLINE_SECONDS,
  maxDrainSeconds: DEFAULT_MAX_DRAIN_SECONDS,
  standaloneTaskGraceSeconds: DEFAULT_STANDALONE_TASK_GRACE_SECONDS,
  requireHealthyInstance: true,
};

export interface WaitContext {
  readonly ecs: SendClient;
  readonly cluster: string;
  readonly now: Date;
  readonly policy: GatePolicyOptions;
}

export function explainLaunchWait(
  instanceId: string,
  ec2: Ec2InstanceView | undefined,
  ci: ContainerInstanceView | undefined,
  context: WaitContext,
): WaitingInstanceView {
  const decision = decideLaunch(
    { instanceId, lifecycleState: LAUNCH_WAIT_STATE, ec2, containerInstance: ci, waitStartedAt: ec2?.launchTime },
    {
      joinDeadlineSeconds: context.policy.joinDeadlineSeconds,
      requireHealthyInstance: context.policy.requireHealthyInstance,
      heartbeatTimeoutSeconds: DEFAULTS.nodeGroup.launchHeartbeatTimeoutSeconds,
    },
    context.now,
  );
  return {
    instanceId,
    lifecycleState: LAUNCH_WAIT_STATE,
    gate: 'launch',
    waitingSeconds: decision.elapsedSeconds === undefined ? undefined : Math.floor(decision.elapsedSeconds),
    decision: decision.decision,
    reason: decision.reason,
  };
}

/** Loads tasks and services for the draining instances (batched like the drain gate) and explains each wait. */
export async function explainDrainWaits(
  waiting: readonly { instanceId: string; lifecycleState: string; ci?: ContainerInstanceView }[],
  context: WaitContext,
): Promise<WaitingInstanceView[]> {
  const { ecs, cluster } = context;
  const registered = waiting.filter((w) => w.ci !== undefined && w.ci.status !== 'INACTIVE');
  const taskArnsByInstance = new Map<string, string[]>();
  for (const w of registered) {
    taskArnsByInstance.set(w.instanceId, await listTaskArns(ecs, cluster, w.ci!.arn, ['RUNNING', 'STOPPED']));
  }
  const tasks = await describeTasks(ecs, cluster, unique([...taskArnsByInstance.values()].flat()));
  const taskByArn = new Map(tasks.map((task) => [task.taskArn, task]));
  const serviceNames = unique(tasks.map(serviceNameOf).filter((name): name is string => name !== undefined));
  const services = serviceNames.length > 0 ? await describeServices(ecs, cluster, serviceNames) : [];

  return waiting.map((w) => {
    const instanceTasks = (taskArnsByInstance.get(w.instanceId) ?? [])
      .map((arn) => taskByArn.get(arn))
      .filter((t): t is TaskView => !!t);
    const names = new Set(instanceTasks.map(serviceNameOf));
    const state = readDrainState(w.ci);
    const decision = decideDrain(
      {
        instanceId: w.instanceId,
        lifecycleState: w.lifecycleState,
        containerInstance: w.ci,
        tasks: instanceTasks,
        services: services.filter((service) => names.has(service.name)),
        state,
      },
      {
        maxDrainSeconds: context.policy.maxDrainSeconds,
        standaloneTaskGraceSeconds: context.policy.standaloneTaskGraceSeconds,
        heartbeatTimeoutSeconds: DEFAULTS.nodeGroup.terminateHeartbeatTimeoutSeconds,
        heldAlertIntervalSeconds: HELD_ALERT_INTERVAL_SECONDS,
      },
      context.now,
    );
    return {
      instanceId: w.instanceId,
      lifecycleState: w.lifecycleState,
      gate: 'drain' as const,
      // Without a recorded drain start the gate counts from "now": show unknown instead of a misleading 0 s.
      waitingSeconds:
        state.drainStartedAt && decision.elapsedSeconds !== undefined ? Math.floor(decision.elapsedSeconds) : undefined,
      decision: decision.decision,
      reason: decision.reason,
    };
  });
}
