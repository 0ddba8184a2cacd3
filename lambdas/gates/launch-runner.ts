/**
 * Launch gate run: chunk by chunk (oldest first, deadline-aware), read EC2 and the container instances in batched
 * calls, decide per instance (launch-decision.ts), write in batches (gate-actions.ts: heartbeats, DRAINING before an
 * ABANDON, completions), alert, log one line per instance, measure.
 */
import { RetryLaterError } from '../shared/aws-errors';
import { unique } from '../shared/collections';
import { describeEc2Instances, readApprovedAmi } from './adapters/ec2';
import { lookupContainerInstances } from './adapters/ecs-instances';
import { InstanceCheck } from './checks';
import { GateDeps } from './deps';
import { Plan, executePlans } from './gate-actions';
import { LaunchDecision, decideLaunch } from './launch-decision';
import { GateOutcome, alertOperators, logDecision, outcomeOf } from './outcome';
import { RunBudget, UNBOUNDED, inChunks } from './run-budget';
import { ContainerInstanceView, Ec2InstanceView, LAUNCH_HOOK_WAIT_STATES } from './types';
import { GateWarmCache } from './warm-cache';

export async function runLaunchGate(
  checks: readonly InstanceCheck[],
  deps: GateDeps,
  cache = new GateWarmCache(),
  budget: RunBudget = UNBOUNDED,
): Promise<GateOutcome[]> {
  return inChunks(checks, deps, 'launch', budget, (part) => launchChunk(part, deps, cache));
}

async function launchChunk(
  part: readonly InstanceCheck[],
  deps: GateDeps,
  cache: GateWarmCache,
): Promise<GateOutcome[]> {
  const now = deps.now();
  const waiting = part.filter(
    (check) => check.lifecycleState !== undefined && LAUNCH_HOOK_WAIT_STATES.has(check.lifecycleState),
  );
  const ids = unique(waiting.map((check) => check.instanceId));
  // An ECS event names the container instance, and a registration seen by an earlier check is remembered: no lookup.
  const hints = new Map(
    waiting.flatMap((check) =>
      check.containerInstanceArn ? [[check.instanceId, check.containerInstanceArn] as const] : [],
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
  const lookup =
    mayHaveRegistered.length === 0
      ? undefined
      : await lookupContainerInstances(
          deps.ecs,
          deps.config.clusterArn,
          mayHaveRegistered,
          cache.knownArns(mayHaveRegistered, hints),
        );
  const instances = lookup?.byEc2Id ?? new Map<string, ContainerInstanceView>();
  for (const [id, ci] of instances) cache.rememberArn(id, ci.arn);

  const plans: Plan[] = [];
  const decisions = new Map<Plan, LaunchDecision>();
  const throttled: GateOutcome[] = [];
  for (const check of part) {
    const error = lookup?.throttled.get(check.instanceId);
    if (error) {
      throttled.push(retryLater(check, error, deps));
      continue;
    }
    const ec2 = ec2Views.get(check.instanceId);
    const decision = decideLaunch(
      {
        instanceId: check.instanceId,
        lifecycleState: check.lifecycleState,
        origin: check.origin,
        destination: check.destination,
        ec2,
        containerInstance: instances.get(check.instanceId),
        lifecycleEventTime: check.eventTime,
        expectedAmiId: expectedAmis.get(check.nodeGroup.name),
      },
      {
        joinDeadlineSeconds: deps.config.joinDeadlineSeconds,
        requireHealthyInstance: deps.config.requireHealthyInstance,
        heartbeatTimeoutSeconds: check.nodeGroup.launchHeartbeatSeconds,
      },
      now,
    );
    const plan: Plan = {
      check,
      decision: decision.decision,
      reason: decision.reason,
      actions: [],
      containerInstanceArn: instances.get(check.instanceId)?.arn,
      heartbeat: decision.heartbeat,
      setDraining: decision.setDraining,
      stopTaskArns: [],
      complete: decision.decision === 'CONTINUE' || decision.decision === 'ABANDON' ? decision.decision : undefined,
    };
    plans.push(plan);
    decisions.set(plan, decision);
  }
  await executePlans(plans, deps, now);
  const outcomes: GateOutcome[] = [];
  for (const plan of plans) outcomes.push(await report(plan, decisions.get(plan) as LaunchDecision, deps, cache, now));
  return [...outcomes, ...throttled];
}

function retryLater(check: InstanceCheck, error: RetryLaterError, deps: GateDeps): GateOutcome {
  const outcome = outcomeOf(check, 'RETRY_LATER', error.message, []);
  logDecision(deps, 'launch', 'warn', outcome, { asgName: check.asgName });
  return outcome;
}

async function report(
  plan: Plan,
  decision: LaunchDecision,
  deps: GateDeps,
  cache: GateWarmCache,
  now: Date,
): Promise<GateOutcome> {
  const { check } = plan;
  const dimensions = { cluster: deps.config.clusterName, nodeGroup: check.nodeGroup.name };
  if (plan.decision === 'CONTINUE' || plan.decision === 'ABANDON') {
    if (decision.elapsedSeconds !== undefined) {
      deps.metrics.record('LaunchGateSeconds', 'Seconds', decision.elapsedSeconds, dimensions);
    }
  }
  if (plan.decision === 'CONTINUE' || plan.decision === 'ABANDON' || plan.decision === 'NOOP') {
    cache.rememberSettled(check.instanceId, now);
  }
  if (plan.decision === 'ABANDON') {
    deps.metrics.record('LaunchesAbandoned', 'Count', 1, dimensions);
    await alertOperators(deps, check, {
      kind: decision.unsupported === 'warm-pool' ? 'launch.warm-pool' : 'launch.abandoned',
      severity: 'warning',
      title:
        decision.unsupported === 'warm-pool'
          ? `Warm pool not supported: ${check.instanceId} refused (delete the warm pool of ${check.asgName})`
          : `Launch abandoned: ${check.instanceId} did not join ${deps.config.clusterName}`,
      reason: decision.reason,
    });
  }
  const outcome = outcomeOf(check, plan.decision, plan.reason, plan.actions);
  const level =
    plan.decision === 'ERROR'
      ? 'error'
      : plan.decision === 'ABANDON' || plan.decision === 'RETRY_LATER'
        ? 'warn'
        : 'info';
  logDecision(deps, 'launch', level, outcome, {
    asgName: check.asgName,
    lifecycleState: check.lifecycleState ?? null,
    elapsedSeconds: decision.elapsedSeconds ?? null,
  });
  return outcome;
}

/** Expected AMI per node group: the configured id, else the SSM parameter (cached), else no AMI check. */
async function loadExpectedAmis(
  checks: readonly InstanceCheck[],
  deps: GateDeps,
  now: Date,
): Promise<Map<string, string | undefined>> {
  const amis = new Map<string, string | undefined>();
  for (const check of checks) {
    const group = check.nodeGroup;
    if (amis.has(group.name)) continue;
    if (group.expectedAmiId) amis.set(group.name, group.expectedAmiId);
    else if (group.approvedAmiParameter && deps.ssm)
      amis.set(group.name, await readApprovedAmi(deps.ssm, group.approvedAmiParameter, now));
    else amis.set(group.name, undefined);
  }
  return amis;
}
