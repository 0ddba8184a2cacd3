/**
 * What drains an Auto Scaling group's instances before they terminate, before and after a plan, read from the plan's
 * own resources (no names assumed beyond the EventBridge event the drain gate subscribes to):
 *   - the drain gate: a terminate lifecycle hook on the group (an `aws_autoscaling_lifecycle_hook`, or an
 *     `initial_lifecycle_hook` of the group) AND an enabled EventBridge rule whose pattern matches the group's
 *     "EC2 Instance-terminate Lifecycle Action" events (the rule's target is the gate function);
 *   - ECS managed draining: the group's capacity provider has `managed_draining = ENABLED` ("Amazon ECS manages and
 *     gracefully drains the EC2 container instances that are in the Auto Scaling group capacity provider",
 *     AutoScalingGroupProvider, Amazon ECS API Reference,
 *     https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProvider.html).
 * Pure: plan JSON in, facts out.
 */
import { PlanResourceChange, Values, actionOf, at } from './plan-json';

export const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';
const TERMINATE_EVENT = 'EC2 Instance-terminate Lifecycle Action';

export type Side = 'before' | 'after';

export interface TerminateHook {
  readonly address: string;
  readonly name: string;
  readonly asgName: string;
  readonly heartbeatSeconds?: number;
  readonly defaultResult?: string;
}

export interface DrainRule {
  readonly address: string;
  readonly name: string;
  readonly enabled: boolean;
  /** ASG names the pattern matches; undefined = every group (no AutoScalingGroupName filter). */
  readonly asgNames?: string[];
}

const valuesOf = (rc: PlanResourceChange, side: Side): Values | null => rc.change[side];

function hookOf(address: string, asgName: string, h: Values): TerminateHook {
  return {
    address,
    name: String(h.name),
    asgName,
    heartbeatSeconds:
      h.heartbeat_timeout === null || h.heartbeat_timeout === undefined ? undefined : Number(h.heartbeat_timeout),
    defaultResult: h.default_result === null || h.default_result === undefined ? undefined : String(h.default_result),
  };
}

/**
 * Terminate hooks on one side of the plan. A group's `initial_lifecycle_hook` counts unless an
 * `aws_autoscaling_lifecycle_hook` of the same group and name exists in the plan: that resource then owns the hook on
 * AWS (PutLifecycleHook and DeleteLifecycleHook act by name), whatever the group's ignored initial block still says.
 */
export function hooksOf(changes: readonly PlanResourceChange[], side: Side): TerminateHook[] {
  const hooks: TerminateHook[] = [];
  const managed = new Set<string>();
  for (const rc of changes) {
    if (rc.type !== 'aws_autoscaling_lifecycle_hook') continue;
    for (const v of [rc.change.before, rc.change.after]) {
      if (v !== null) managed.add(`${String(v.autoscaling_group_name)}/${String(v.name)}`);
    }
    const v = valuesOf(rc, side);
    if (v !== null && v.lifecycle_transition === TERMINATING)
      hooks.push(hookOf(rc.address, String(v.autoscaling_group_name), v));
  }
  for (const rc of changes) {
    const v = valuesOf(rc, side);
    if (rc.type !== 'aws_autoscaling_group' || v === null) continue;
    for (const h of (v.initial_lifecycle_hook as Values[] | null) ?? []) {
      if (h.lifecycle_transition !== TERMINATING || managed.has(`${String(v.name)}/${String(h.name)}`)) continue;
      hooks.push(hookOf(rc.address, String(v.name), h));
    }
  }
  return hooks;
}

function patternOf(v: Values): Values | undefined {
  try {
    return typeof v.event_pattern === 'string' ? (JSON.parse(v.event_pattern) as Values) : undefined;
  } catch {
    return undefined;
  }
}

/** EventBridge rules that deliver terminate lifecycle events (the drain gate's trigger). */
export function drainRulesOf(changes: readonly PlanResourceChange[], side: Side): DrainRule[] {
  const rules: DrainRule[] = [];
  for (const rc of changes) {
    const v = valuesOf(rc, side);
    if (rc.type !== 'aws_cloudwatch_event_rule' || v === null) continue;
    const pattern = patternOf(v);
    const types = at(pattern, 'detail-type');
    if (!Array.isArray(types) || !types.includes(TERMINATE_EVENT)) continue;
    const names = at(pattern, 'detail', 'AutoScalingGroupName');
    // hashicorp/aws 5.x has `state` (ENABLED / DISABLED / ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS) and the
    // deprecated `is_enabled` (internal/service/events/rule.go).
    const enabled = v.state !== undefined && v.state !== null ? v.state !== 'DISABLED' : v.is_enabled !== false;
    rules.push({
      address: rc.address,
      name: String(v.name),
      enabled,
      asgNames: Array.isArray(names) ? names.map(String) : undefined,
    });
  }
  return rules;
}

export function ruleMatches(rule: DrainRule, asgName: string): boolean {
  return rule.enabled && (rule.asgNames === undefined || rule.asgNames.includes(asgName));
}

/** Capacity providers by the ASG they manage (name taken from the ARN's `autoScalingGroupName/` part). */
export function managedDrainingOf(changes: readonly PlanResourceChange[], side: Side): Map<string, boolean> {
  const byAsg = new Map<string, boolean>();
  for (const rc of changes) {
    const v = valuesOf(rc, side);
    if (rc.type !== 'aws_ecs_capacity_provider' || v === null) continue;
    const asg = asgNameOfProvider(v);
    if (asg) byAsg.set(asg, at(v, 'auto_scaling_group_provider', 0, 'managed_draining') === 'ENABLED');
  }
  return byAsg;
}

/** `arn:…:autoScalingGroup:<uuid>:autoScalingGroupName/<name>` → name. */
export function asgNameOfProvider(v: Values): string | undefined {
  const arn = String(at(v, 'auto_scaling_group_provider', 0, 'auto_scaling_group_arn') ?? '');
  return /autoScalingGroupName\/(.+)$/.exec(arn)?.[1];
}

export type Drainer = 'drain gate' | 'ECS managed draining';

/** Who drains `asgName`'s instances on the given side of the plan. */
export function drainersOf(changes: readonly PlanResourceChange[], side: Side, asgName: string): Drainer[] {
  const drainers: Drainer[] = [];
  const hooked = hooksOf(changes, side).some((h) => h.asgName === asgName);
  if (hooked && drainRulesOf(changes, side).some((r) => ruleMatches(r, asgName))) drainers.push('drain gate');
  if (managedDrainingOf(changes, side).get(asgName)) drainers.push('ECS managed draining');
  return drainers;
}

/** Names of every ASG the plan knows (before or after). */
export function asgNames(changes: readonly PlanResourceChange[]): string[] {
  const names = new Set<string>();
  for (const rc of changes) {
    if (rc.type !== 'aws_autoscaling_group') continue;
    for (const side of ['before', 'after'] as const) {
      const name = at(rc.change[side], 'name');
      if (typeof name === 'string') names.add(name);
    }
  }
  return [...names].sort();
}

/** The gate function's resources: Terraform address or name mentions the drain gate. */
export function isDrainGateResource(rc: PlanResourceChange): boolean {
  const name = String(at(rc.change.after ?? rc.change.before, 'name') ?? '');
  return /drain[-_]?gate/i.test(rc.address) || /drain[-_]?gate/i.test(name);
}

export const actionIs = (rc: PlanResourceChange, ...actions: string[]) => actions.includes(actionOf(rc));
