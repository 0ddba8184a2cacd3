/** Launch gate run: load observed state for all targets in batched calls, decide per instance, act, log, measure. */
import { unique } from '../shared/collections';
import { completeLifecycleAction, recordLifecycleHeartbeat } from './adapters/autoscaling';
import { describeEc2Instances, readApprovedAmi } from './adapters/ec2';
import { findContainerInstances } from './adapters/ecs-instances';
import { GateDeps } from './deps';
import { LaunchDecision, LaunchObservation, decideLaunch } from './launch-decision';
import { GateMemory } from './memory';
import { GateOutcome, alertOperators, evaluateEach, logDecision, outcomeOf } from './outcome';
import { GateTarget } from './targets';
import { ContainerInstanceView, Ec2InstanceView, LAUNCH_WAIT_STATE } from './types';

export async function runLaunchGate(
  targets: readonly GateTarget[],
  deps: GateDeps,
  memory = new GateMemory(),
): Promise<GateOutcome[]> {
  const now = deps.now();
  const waiting = targets.filter((target) => target.lifecycleState === LAUNCH_WAIT_STATE);
  const ids = unique(waiting.map((target) => target.instanceId));
  // An ECS event names the container instance, and a registration seen by an earlier check is remembered: no lookup.
  const hints = new Map(
    waiting.flatMap((target) =>
      target.containerInstanceArn ? [[target.instanceId, target.containerInstanceArn] as const] : [],
    ),
  );
  const [ec2Views, expectedAmis] =
    ids.length === 0
      ? [new Map<string, Ec2InstanceView>(), new Map<string, string | undefined>()]
      : await Promise.all([
          deps.ec2 ? describeEc2Instances(deps.ec2, ids) : Promise.resolve(new Map<string, Ec2InstanceView>()),
          loadExpectedAmis(waiting, deps, now),
        ]);
  // Only a running EC2 instance (or one EC2 does not show yet) can have registered: an instance still `pending` has
  // no agent, and a stopping / terminated one is abandoned on its EC2 state alone. This skips the ECS lookup for the
  // launch event itself, which arrives while the instance is still pending.
  const mayHaveRegistered = ids.filter((id) => (ec2Views.get(id)?.state ?? 'running') === 'running');
  const containerInstances =
    mayHaveRegistered.length === 0
      ? new Map<string, ContainerInstanceView>()
      : await findContainerInstances(
          deps.ecs,
          deps.config.clusterArn,
          mayHaveRegistered,
          memory.knownArns(mayHaveRegistered, hints),
        );
  for (const [id, ci] of containerInstances) memory.rememberArn(id, ci.arn);

  return evaluateEach(targets, deps, 'launch', async (target) => {
    const ec2 = ec2Views.get(target.instanceId);
    const observation: LaunchObservation = {
      instanceId: target.instanceId,
      lifecycleState: target.lifecycleState,
      destination: target.destination,
      ec2,
      containerInstance: containerInstances.get(target.instanceId),
      waitStartedAt: ec2?.launchTime ?? target.eventTime,
      expectedAmiId: expectedAmis.get(target.nodeGroup.name),
    };
    const decision = decideLaunch(
      observation,
      {
        joinDeadlineSeconds: deps.config.joinDeadlineSeconds,
        requireHealthyInstance: deps.config.requireHealthyInstance,
        heartbeatTimeoutSeconds: target.nodeGroup.launchHeartbeatSeconds,
      },
      now,
    );
    return act(target, decision, deps);
  });
}

async function act(target: GateTarget, decision: LaunchDecision, deps: GateDeps): Promise<GateOutcome> {
  const ref = {
    asgName: target.asgName,
    hookName: target.hookName,
    instanceId: target.instanceId,
    token: target.token,
  };
  const dimensions = { cluster: deps.config.clusterName, nodeGroup: target.nodeGroup.name };
  const actions: string[] = [];
  let reason = decision.reason;
  let finalDecision = decision.decision;

  if (decision.decision === 'CONTINUE' || decision.decision === 'ABANDON') {
    const result = await completeLifecycleAction(deps.autoScaling, ref, decision.decision);
    if (result === 'already-complete') {
      finalDecision = 'NOOP';
      reason = `lifecycle action already complete (would have been ${decision.decision}: ${decision.reason})`;
    } else {
      actions.push(`CompleteLifecycleAction:${decision.decision}`);
      if (decision.elapsedSeconds !== undefined)
        deps.metrics.record('LaunchGateSeconds', 'Seconds', decision.elapsedSeconds, dimensions);
      if (decision.decision === 'ABANDON') {
        deps.metrics.record('LaunchesAbandoned', 'Count', 1, dimensions);
        await alertOperators(deps, target, {
          kind: 'launch.abandoned',
          severity: 'warning',
          title: `Launch abandoned: ${target.instanceId} did not join ${deps.config.clusterName}`,
          reason: decision.reason,
        });
      }
    }
  } else if (decision.decision === 'WAIT' && decision.heartbeat) {
    const result = await recordLifecycleHeartbeat(deps.autoScaling, ref);
    if (result === 'already-complete') {
      finalDecision = 'NOOP';
      reason = `lifecycle action already complete (was waiting: ${decision.reason})`;
    } else {
      actions.push('RecordLifecycleActionHeartbeat');
    }
  }

  const outcome = outcomeOf(target, finalDecision, reason, actions);
  logDecision(deps, 'launch', finalDecision === 'ABANDON' ? 'warn' : 'info', outcome, {
    asgName: target.asgName,
    lifecycleState: target.lifecycleState ?? null,
    elapsedSeconds: decision.elapsedSeconds ?? null,
  });
  return outcome;
}

/** Expected AMI per node group: the configured id, else the SSM parameter (cached), else no AMI check. */
async function loadExpectedAmis(
  targets: readonly GateTarget[],
  deps: GateDeps,
  now: Date,
): Promise<Map<string, string | undefined>> {
  const amis = new Map<string, string | undefined>();
  for (const target of targets) {
    const group = target.nodeGroup;
    if (amis.has(group.name)) continue;
    if (group.expectedAmiId) amis.set(group.name, group.expectedAmiId);
    else if (group.approvedAmiParameter && deps.ssm)
      amis.set(group.name, await readApprovedAmi(deps.ssm, group.approvedAmiParameter, now));
    else amis.set(group.name, undefined);
  }
  return amis;
}
