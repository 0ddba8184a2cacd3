import { Construct } from 'constructs';
import { Fn, TerraformResource } from 'cdktf';
import { hookGlobalTimeoutSeconds } from '../aws-limits';
import { GATE_GROUP_RULES } from '../gate-node-group-rules';
import { AwsContext } from '../aws-context';
import { NodejsFunction } from '../function';
import { ControlPlaneFunctionOptions } from '../function-options';
import { lambdaEntry } from '../lambda-entry';
import { LAUNCH_HOOK_NAME, TERMINATE_HOOK_NAME } from '../node-group/auto-scaling-group';
import { ClusterReference, NodeGroup } from '../node-group/node-group';
import { checkIntegerRange, invalid } from '../validation';
import { GATE_DEFAULTS, GateSettings, resolveGateSettings, validateSweepSchedule } from './gate-settings';
import { grantDrainGate, grantLaunchGate, listEach, NodeGroupLister } from './gate-permissions';

/** `max_drain_seconds` → `maxDrainSeconds`: the rule tables name settings in snake_case, the props in camelCase. */
const camel = (snake: string) => snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Props of {@link LifecycleGates}. */
export interface LifecycleGatesProps {
  /** The cluster the instances join. */
  readonly cluster: ClusterReference;
  /** Node groups whose lifecycle hooks the gates hold. */
  readonly nodeGroups: NodeGroup[];
  /** Account, region and partition for ARNs. */
  readonly awsContext: AwsContext;
  /**
   * Seconds a new instance may take to join the cluster (ACTIVE, agent connected) before the launch gate abandons it.
   * @default 600
   */
  readonly joinDeadlineSeconds?: number;
  /**
   * Longest drain in seconds; then the drain gate continues anyway (alert log + DrainsForced metric), so an instance
   * is never held forever. At most the terminate hook's global timeout (min(48 h, 100 × heartbeat)).
   * @default 3600
   */
  readonly maxDrainSeconds?: number;
  /**
   * Seconds after the drain starts before standalone tasks (not started by a service, which ECS never moves) are
   * stopped with StopTask; 0 = never stop them (wait for them until maxDrainSeconds).
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
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Tracing, KMS and log settings shared by every function.
   * @default see ControlPlaneFunctionOptions
   */
  readonly functionOptions?: ControlPlaneFunctionOptions;
  /**
   * Environment shared with the notifier (e.g. NOTIFY_TOPIC_ARN), merged into both functions.
   * @default {}
   */
  readonly notifierEnvironment?: Record<string, string>;
  /**
   * How the gates turn a per-node-group value into a list over all node groups (gate configuration, IAM resources,
   * event patterns). The plain Terraform module passes ONE node group built from a `for_each` iterator and a lister
   * that renders a Terraform `for` expression over the node-group map.
   * @default `(groups, value) => groups.map(value)`
   */
  readonly listNodeGroups?: NodeGroupLister;
}

/**
 * The two lifecycle gates: the **launch gate** holds a new instance in `Pending:Wait` until it is ACTIVE in the cluster
 * with its agent connected; the **drain gate** holds an old instance in `Terminating:Wait` until every task on it has
 * STOPPED and every service it touched is stable. Event-driven (EventBridge) for speed, plus a scheduled sweep for
 * correctness; nothing sleeps inside a Lambda.
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

    const environment = {
      GATE_CONFIG: Fn.jsonencode(gateConfig(props, this.settings)),
      POWERTOOLS_METRICS_NAMESPACE: 'EcsAmiRollout',
      LOG_LEVEL: 'INFO',
      ...props.notifierEnvironment,
    };
    const common = {
      ...props.functionOptions,
      timeoutSeconds: 60,
      logRetentionDays: props.logRetentionDays ?? props.functionOptions?.logRetentionDays,
      reservedConcurrentExecutions: 2,
    };
    this.launchGate = new NodejsFunction(this, 'launch-gate', {
      ...common,
      entry: lambdaEntry('gates/launch-gate'),
      description: 'ecs-ami-rollout launch gate: holds new instances until they joined the ECS cluster',
      environment: { ...environment, POWERTOOLS_SERVICE_NAME: 'launch-gate' },
    });
    const list = props.listNodeGroups ?? listEach;
    const target = { cluster: props.cluster, nodeGroups: props.nodeGroups, awsContext: props.awsContext, list };
    grantLaunchGate(this.launchGate, target, this.settings.verifyAmi);
    const drained = props.nodeGroups.filter((group) => group.drainOwner === 'lambda');
    if (drained.length > 0) {
      this.drainGate = new NodejsFunction(this, 'drain-gate', {
        ...common,
        entry: lambdaEntry('gates/drain-gate'),
        description: 'ecs-ami-rollout drain gate: holds old instances until their tasks are drained',
        environment: { ...environment, POWERTOOLS_SERVICE_NAME: 'drain-gate' },
      });
      grantDrainGate(this.drainGate, { ...target, nodeGroups: drained });
    }
    this.addTriggers(props.nodeGroups, drained, props.cluster.clusterArn, list);

    // The first instances of a hooked group must find their gates deployed, and a group's instances must be drained
    // before what delivers its events goes: every gate resource (function, role policy, rules, targets, permissions) is
    // created before and destroyed after the groups. (Bare addresses: depends_on takes references, not `${}` tokens.)
    const gateResources = gateResourceAddresses(this);
    for (const group of props.nodeGroups) {
      group.autoScalingGroup.dependsOn = [...(group.autoScalingGroup.dependsOn ?? []), ...gateResources];
    }
  }

  /** The gate functions that exist. */
  gates(): NodejsFunction[] {
    return this.drainGate ? [this.launchGate, this.drainGate] : [this.launchGate];
  }

  private addTriggers(launched: NodeGroup[], drained: NodeGroup[], clusterArn: string, list: NodeGroupLister): void {
    const lifecycle = (detailType: string, groups: NodeGroup[], hookName: string) => ({
      source: ['aws.autoscaling'],
      'detail-type': [detailType],
      detail: { AutoScalingGroupName: list(groups, (g) => g.autoScalingGroupName), LifecycleHookName: [hookName] },
    });
    this.launchGate.addEventBridgeTrigger('launch-lifecycle', {
      description: 'EC2 Instance-launch Lifecycle Action of the node groups → launch gate',
      eventPattern: lifecycle('EC2 Instance-launch Lifecycle Action', launched, LAUNCH_HOOK_NAME),
    });
    // ECS emits a container-instance event on every task placement and stop. Unfiltered, each gate re-checked the
    // instance once per task (the simulator measured ~35 invocations and 60 ECS calls per replaced instance, and
    // throttling at 1,000 instances); so each gate only hears the transitions it waits for: a new instance registered
    // (or failed to) with nothing placed yet, and a draining instance whose last task is gone. The sweep covers the
    // rest.
    const emptyInstance = (statuses: string[]) => ({
      source: ['aws.ecs'],
      'detail-type': ['ECS Container Instance State Change'],
      detail: { clusterArn: [clusterArn], status: statuses, runningTasksCount: [0], pendingTasksCount: [0] },
    });
    this.launchGate.addEventBridgeTrigger('instance-state', {
      description:
        'A container instance of the cluster registered (ACTIVE or REGISTRATION_FAILED, no task yet) → launch gate',
      eventPattern: emptyInstance(['ACTIVE', 'REGISTRATION_FAILED']),
    });
    for (const fn of this.gates()) {
      fn.addEventBridgeTrigger('sweep', {
        description: 'Sweep: re-evaluate every instance waiting at a gate (lost or late events)',
        scheduleExpression: this.settings.sweepSchedule,
      });
    }
    if (!this.drainGate) return;
    this.drainGate.addEventBridgeTrigger('terminate-lifecycle', {
      description: 'EC2 Instance-terminate Lifecycle Action of the node groups → drain gate',
      eventPattern: lifecycle('EC2 Instance-terminate Lifecycle Action', drained, TERMINATE_HOOK_NAME),
    });
    this.drainGate.addEventBridgeTrigger('instance-state', {
      description: 'A draining container instance of the cluster has no task left → drain gate',
      eventPattern: emptyInstance(['DRAINING']),
    });
  }
}

/** The GATE_CONFIG the Lambdas parse (lambdas/gates/README.md). */
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
    standaloneTaskGraceSeconds: settings.standaloneTaskGraceSeconds,
    requireHealthyInstance: settings.requireHealthyInstance,
  };
}

export { hookGlobalTimeoutSeconds };

/** Terraform addresses of every resource under the gates. */
function gateResourceAddresses(gates: Construct): string[] {
  return gates.node
    .findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource)
    .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`);
}

function validateGateSettings(settings: GateSettings, nodeGroups: NodeGroup[]): void {
  checkIntegerRange(
    'LifecycleGates.joinDeadlineSeconds',
    settings.joinDeadlineSeconds,
    60,
    7200,
    'use 60–7200 s (default 600)',
  );
  checkIntegerRange(
    'LifecycleGates.standaloneTaskGraceSeconds',
    settings.standaloneTaskGraceSeconds,
    0,
    172800,
    'use 0 (never stop) up to 172800 s',
  );
  checkIntegerRange(
    'LifecycleGates.maxDrainSeconds',
    settings.maxDrainSeconds,
    60,
    172800,
    'use 60–172800 s (default 3600)',
  );
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

export { GATE_DEFAULTS };
