import { Construct } from 'constructs';
import { Fn, TerraformResource } from 'cdktf';
import { hookGlobalTimeoutSeconds } from '../aws-limits';
import { GATE_GROUP_RULES } from '../gate-node-group-rules';
import { ControlPlaneProps } from '../control-plane';
import { NodejsFunction } from '../function';
import { reservedConcurrencyOf } from '../function-options';
import { lambdaEntry } from '../lambda-entry';
import { LAUNCH_HOOK_NAME, TERMINATE_HOOK_NAME } from '../node-group/auto-scaling-group';
import { NodeGroup } from '../node-group/node-group';
import { drainGateRules, launchGateRules } from '../triggers/gate-triggers';
import { checkSetting, FORCE_AFTER_MAX_DRAIN, SETTING_RULES } from '../setting-rules';
import { invalid, isUncheckable } from '../validation';
import { GateEventBuffer } from './gate-event-buffer';
import { GATE_DEFAULTS, GateSettings, resolveGateSettings, validateSweepSchedule } from './gate-settings';
import { grantDrainGate, grantLaunchGate, listEach } from './gate-permissions';
import { GATE_TIMEOUT_SECONDS } from './gate-defaults';

/** The gates' own settings (what EcsAmiRollout exposes as `gates`). */
export interface LifecycleGateSettings {
  /**
   * Seconds a new instance may take to join the cluster (ACTIVE, agent connected) before the launch gate gives up on it
   * (it is drained first if ECS placed tasks on it, then abandoned).
   * @default 600
   */
  readonly joinDeadlineSeconds?: number;
  /**
   * A drain still waiting after this many seconds is reported to operators (again every hour) and held — the gate keeps
   * heartbeating up to the terminate hook's global timeout, min(48 h, 100 × heartbeat). Never forced by default.
   * @default 3600
   */
  readonly maxDrainSeconds?: number;
  /**
   * Opt-in: after this many seconds of drain the gate continues anyway, terminating the instance with whatever still
   * runs there (alert + DrainsForced metric). At least maxDrainSeconds, at most the terminate hook's global timeout.
   * @default none — a drain is never forced; a service without headroom holds its instance until fixed
   */
  readonly forceDrainAfterSeconds?: number;
  /**
   * Seconds after the drain starts before standalone tasks (not started by a service, which ECS never moves) are
   * stopped with StopTask; 0 = never stop them (they are waited for).
   * @default 300
   */
  readonly standaloneTaskGraceSeconds?: number;
  /**
   * Also require the container instance's health (agent ≥ 1.57 reports it) to be OK before CONTINUE on launch.
   * @default true
   */
  readonly requireHealthyInstance?: boolean;
  /**
   * Launch gate also checks that a new instance runs the approved AMI (amiMode auto only; ABANDON otherwise).
   * @default false
   */
  readonly verifyAmi?: boolean;
  /**
   * Schedule of the sweep that re-evaluates every waiting instance (the safety net for lost or late events). Its period
   * must be below half the smallest heartbeat timeout, since heartbeats are only recorded when a check runs.
   * @default 'rate(1 minute)'
   */
  readonly sweepSchedule?: string;
  /**
   * Log retention of the gate functions, in days.
   * @default functionOptions.logRetentionDays, else 30
   */
  readonly logRetentionDays?: number;
}

/** Props of {@link LifecycleGates}. */
export interface LifecycleGatesProps extends ControlPlaneProps, LifecycleGateSettings {}

/**
 * The two lifecycle gates: the **launch gate** holds a new instance in `Pending:Wait` until it is ACTIVE in the cluster
 * with its agent connected; the **drain gate** holds an old instance in `Terminating:Wait` until every task on it has
 * STOPPED and every service it touched is stable. Event-driven for speed — EventBridge rules feed each gate's SQS
 * buffer, which hands events over in batches — plus a scheduled sweep for correctness; nothing sleeps inside a Lambda.
 *
 * Warm pools are not supported: a gated group must not have one (validation error); one added out of band is refused
 * at run time (instances entering it are abandoned after a drain, instances scaled in to it are drained first).
 *
 * Terraform note: the Auto Scaling groups `depends_on` the gates, so the functions and rules exist before the first
 * instance launches into a hooked group (CloudFormation would need an explicit DependsOn the same way).
 */
export class LifecycleGates extends Construct {
  readonly launchGate: NodejsFunction;
  /** Absent when ECS managed draining owns draining (drainOwner "ecs"). */
  readonly drainGate?: NodejsFunction;
  readonly settings: GateSettings;

  constructor(scope: Construct, id: string, props: LifecycleGatesProps) {
    super(scope, id);
    if (props.nodeGroups.length === 0) {
      invalid('LifecycleGates.nodeGroups', [], 'must not be empty', 'pass the node groups whose hooks the gates hold');
    }
    this.settings = resolveGateSettings(props);
    validateGateSettings(this.settings, props.nodeGroups);
    this.node.addValidation({ validate: () => warmPoolErrors(props.nodeGroups) });

    const environment = {
      GATE_CONFIG: Fn.jsonencode(gateConfig(props, this.settings)),
      POWERTOOLS_METRICS_NAMESPACE: 'EcsAmiRollout',
      LOG_LEVEL: 'INFO',
      ...props.notifications.environment,
    };
    const common = {
      ...props.functionOptions,
      timeoutSeconds: GATE_TIMEOUT_SECONDS,
      logRetentionDays: props.logRetentionDays ?? props.functionOptions?.logRetentionDays,
      reservedConcurrentExecutions: reservedConcurrencyOf(props.functionOptions),
    };
    this.launchGate = new NodejsFunction(this, 'launch-gate', {
      ...common,
      entry: lambdaEntry('gates/launch-gate'),
      description: 'ecs-ami-rollout launch gate: holds new instances until they joined the ECS cluster',
      environment: { ...environment, POWERTOOLS_SERVICE_NAME: 'launch-gate' },
    });
    const list = props.listNodeGroups ?? listEach;
    const fleet = { cluster: props.cluster, nodeGroups: props.nodeGroups, awsContext: props.awsContext, list };
    grantLaunchGate(this.launchGate, fleet, this.settings.verifyAmi);
    const drained = props.nodeGroups.filter((group) => group.drainOwner === 'lambda');
    if (drained.length > 0) {
      this.drainGate = new NodejsFunction(this, 'drain-gate', {
        ...common,
        entry: lambdaEntry('gates/drain-gate'),
        description: 'ecs-ami-rollout drain gate: holds old instances until their tasks are drained',
        environment: { ...environment, POWERTOOLS_SERVICE_NAME: 'drain-gate' },
      });
      grantDrainGate(this.drainGate, { ...fleet, nodeGroups: drained });
    }
    const asgNames = (groups: NodeGroup[]) => list(groups, (g) => g.autoScalingGroupName);
    const shared = { clusterArn: props.cluster.clusterArn, sweepSchedule: this.settings.sweepSchedule };
    const launchBuffer = new GateEventBuffer(this.launchGate, GATE_TIMEOUT_SECONDS);
    for (const rule of launchGateRules({
      ...shared,
      asgNames: asgNames(props.nodeGroups),
      hookName: LAUNCH_HOOK_NAME,
    })) {
      launchBuffer.addRule(rule);
    }
    if (this.drainGate) {
      const drainBuffer = new GateEventBuffer(this.drainGate, GATE_TIMEOUT_SECONDS);
      for (const rule of drainGateRules({ ...shared, asgNames: asgNames(drained), hookName: TERMINATE_HOOK_NAME })) {
        drainBuffer.addRule(rule);
      }
    }
    for (const fn of this.gates()) props.notifications.grantTo(fn);

    // The first instances of a hooked group must find their gates deployed, and a group's instances must be drained
    // before what delivers its events goes: every gate resource (function, role policy, queues, rules, targets,
    // mappings) is created before and destroyed after the groups. (Bare addresses: depends_on takes references.)
    const gateResources = gateResourceAddresses(this);
    for (const group of props.nodeGroups) {
      group.autoScalingGroup.dependsOn = [...(group.autoScalingGroup.dependsOn ?? []), ...gateResources];
    }
  }

  /** The gate functions that exist. */
  gates(): NodejsFunction[] {
    return this.drainGate ? [this.launchGate, this.drainGate] : [this.launchGate];
  }
}

/** The GATE_CONFIG the Lambdas parse (lambdas/shared/config.ts). */
function gateConfig(props: LifecycleGatesProps, settings: GateSettings) {
  return {
    clusterName: props.cluster.clusterName,
    clusterArn: props.cluster.clusterArn,
    nodeGroups: (props.listNodeGroups ?? listEach)(props.nodeGroups, (group) => ({
      name: group.settings.name,
      asgName: group.autoScalingGroupName,
      launchHookName: group.launchHookName,
      terminateHookName: group.terminateHookName,
      launchHeartbeatSeconds: group.settings.launchHook.heartbeatTimeoutSeconds,
      terminateHeartbeatSeconds: group.settings.terminateHook.heartbeatTimeoutSeconds,
      ...(settings.verifyAmi && group.ami.approvedParameterName
        ? { approvedAmiParameter: group.ami.approvedParameterName }
        : {}),
    })),
    joinDeadlineSeconds: settings.joinDeadlineSeconds,
    maxDrainSeconds: settings.maxDrainSeconds,
    ...(settings.forceDrainAfterSeconds === undefined
      ? {}
      : { forceDrainAfterSeconds: settings.forceDrainAfterSeconds }),
    standaloneTaskGraceSeconds: settings.standaloneTaskGraceSeconds,
    requireHealthyInstance: settings.requireHealthyInstance,
  };
}

/**
 * Warm pools are rejected rather than half supported: instances entering a pool would register with the cluster and
 * take tasks unless ECS_WARM_POOLS_CHECK is set, and every Warmed:* transition would need its own handling.
 */
function warmPoolErrors(nodeGroups: readonly NodeGroup[]): string[] {
  return nodeGroups
    .filter((group) => group.autoScalingGroup.warmPoolInput !== undefined)
    .map(
      (group) =>
        `NodeGroup ${group.settings.name}: the Auto Scaling group has a warm_pool, which the lifecycle gates do not ` +
        'support (instances entering the pool would take ECS tasks). Fix: remove the warm pool.',
    );
}

function validateGateSettings(settings: GateSettings, nodeGroups: NodeGroup[]): void {
  checkSetting(SETTING_RULES.join_deadline_seconds, 'LifecycleGates.joinDeadlineSeconds', settings.joinDeadlineSeconds);
  checkSetting(
    SETTING_RULES.standalone_task_grace_seconds,
    'LifecycleGates.standaloneTaskGraceSeconds',
    settings.standaloneTaskGraceSeconds,
  );
  checkSetting(SETTING_RULES.max_drain_seconds, 'LifecycleGates.maxDrainSeconds', settings.maxDrainSeconds);
  const force = settings.forceDrainAfterSeconds;
  checkSetting(SETTING_RULES.force_drain_after_seconds, 'LifecycleGates.forceDrainAfterSeconds', force);
  const order = FORCE_AFTER_MAX_DRAIN;
  if (force !== undefined && ![force, settings.maxDrainSeconds].some(isUncheckable)) {
    if (!order.valid(force, settings.maxDrainSeconds)) {
      const reason = order.reason(`maxDrainSeconds ${settings.maxDrainSeconds}`);
      invalid('LifecycleGates.forceDrainAfterSeconds', force, reason, order.fix('construct'));
    }
  }
  validateSweepSchedule(settings.sweepSchedule);
  for (const group of nodeGroups) {
    const view = {
      name: group.settings.name,
      launchHeartbeatSeconds: group.settings.launchHook.heartbeatTimeoutSeconds,
      terminateHeartbeatSeconds: group.settings.terminateHook.heartbeatTimeoutSeconds,
    };
    for (const rule of GATE_GROUP_RULES) {
      const bad = rule.check(settings, view);
      if (bad) {
        const prop = `LifecycleGates.${camel(rule.setting)}`;
        invalid(prop, bad.value, rule.reason(group.settings.name, bad.detail), rule.fix('construct'));
      }
    }
  }
}

/** `max_drain_seconds` → `maxDrainSeconds`: the rule tables name settings in snake_case, the props in camelCase. */
function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Terraform addresses of every resource under the gates. */
function gateResourceAddresses(gates: Construct): string[] {
  return gates.node
    .findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource)
    .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`);
}

export { hookGlobalTimeoutSeconds };
export { GATE_DEFAULTS };
