/**
 * `terraform show -json` → what a reviewer of an ecs-ami-rollout change needs to know: AMI changes per node group,
 * which ASGs Terraform will instance-refresh (and how), how many instances that replaces and roughly how long it
 * takes, risky replacements/deletions, and a count of everything else. Pure: no file system, no AWS.
 */
import {
  DURATION_FORMULA,
  DurationAssumptions,
  DEFAULT_ASSUMPTIONS,
  RefreshEstimate,
  estimateRefresh,
} from './duration';
import { DrainChange, drainingChanges } from './draining';
import { GroupImpact, groupImpacts } from './impact';
import { PlanResourceChange, TerraformPlanJson, Values, actionOf, at } from './plan-json';
import { Headline, headlineOf } from './headline';
import { refreshReasons } from './refresh-reasons';

const CLUSTER_TAG = 'ecs-ami-rollout:cluster';
const NODE_GROUP_TAG = 'ecs-ami-rollout:node-group';
const APPROVED_PARAMETER = /^\/ecs-ami-rollout\/([^/]+)\/([^/]+)\/approved-ami$/;
/** Replacing or deleting these disrupts running tasks or the rollout machinery itself. */
const RISKY_TYPES = new Set([
  'aws_ecs_cluster',
  'aws_autoscaling_group',
  'aws_ecs_capacity_provider',
  'aws_ecs_cluster_capacity_providers',
]);
export const UNKNOWN_AFTER_APPLY = '(known after apply)';

export interface AmiChange {
  readonly from: string;
  readonly to: string;
  /** `launch template <name>` or `parameter <name>`. */
  readonly via: string;
}

export interface RefreshPreferences {
  readonly strategy: string;
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly warmupSeconds: number;
  readonly checkpointPercentages: number[];
  readonly checkpointDelaySeconds: number;
  readonly skipMatching: boolean;
  readonly autoRollback: boolean;
  readonly scaleInProtectedInstances?: string;
  /** CloudWatch alarms that fail the refresh when they go to ALARM (`alarm_specification`). */
  readonly alarms: string[];
  readonly bakeSeconds?: number;
}

export interface PlannedRefresh {
  /** Why Terraform starts it, e.g. "launch template version changes". */
  readonly trigger: string;
  /** What changed underneath, e.g. "image_id ami-1 → ami-2", "instance_type m7i.large → m7i.xlarge". */
  readonly reasons: string[];
  /** undefined: the ASG has no instance_refresh block, so Terraform starts none (old instances keep the old AMI). */
  readonly preferences?: RefreshPreferences;
  readonly instancesReplaced: number;
  readonly estimate?: RefreshEstimate;
}

export interface NodeGroupChange {
  readonly key: string;
  readonly nodeGroup: string;
  readonly asgName?: string;
  readonly amiChanges: AmiChange[];
  readonly refresh?: PlannedRefresh;
}

export interface RiskyChange {
  readonly address: string;
  readonly action: 'replace' | 'delete' | 'update';
  readonly what: string;
  /** Fails `--fail-on-replace` (replacements and deletions; a removed lifecycle hook counts as a deletion). */
  readonly failing: boolean;
}

export interface OtherChange {
  readonly address: string;
  readonly action: string;
}

export interface PlanSummary {
  readonly terraformVersion?: string;
  /** The opening sentence: the worst change in the plan. */
  readonly headline: Headline;
  readonly nodeGroups: NodeGroupChange[];
  /** Replacements and deletions of groups, capacity providers and launch templates, with their instances. */
  readonly impacts: GroupImpact[];
  /** Changes to what drains instances. */
  readonly draining: DrainChange[];
  readonly risky: RiskyChange[];
  readonly other: OtherChange[];
  readonly otherCounts: Record<string, number>;
  readonly assumptions: DurationAssumptions;
  readonly durationFormula: string;
}

function tagsOf(values: Values | null): Record<string, string> {
  if (values === null) return {};
  if (Array.isArray(values.tag)) {
    return Object.fromEntries((values.tag as { key: string; value: string }[]).map((t) => [t.key, t.value]));
  }
  return (values.tags as Record<string, string> | null) ?? {};
}

/** Node-group key from the module's tags (cluster/node group), else the resource's name attribute. */
function keyOf(rc: PlanResourceChange): { key: string; nodeGroup: string } {
  const tags = { ...tagsOf(rc.change.before), ...tagsOf(rc.change.after) };
  if (tags[NODE_GROUP_TAG])
    return { key: `${tags[CLUSTER_TAG] ?? ''}/${tags[NODE_GROUP_TAG]}`, nodeGroup: tags[NODE_GROUP_TAG] };
  const name = String(at(rc.change.after, 'name') ?? at(rc.change.before, 'name') ?? rc.address);
  return { key: `name:${name}`, nodeGroup: name };
}

function changed(rc: PlanResourceChange, ...path: (string | number)[]): boolean {
  return (
    at(rc.change.after_unknown, ...path) === true ||
    JSON.stringify(at(rc.change.before, ...path)) !== JSON.stringify(at(rc.change.after, ...path))
  );
}

function afterValue(rc: PlanResourceChange, ...path: (string | number)[]): string {
  return at(rc.change.after_unknown, ...path) === true ? UNKNOWN_AFTER_APPLY : String(at(rc.change.after, ...path));
}

const LT_VERSION_PATHS: (string | number)[][] = [
  ['launch_template', 0, 'version'],
  ['launch_template', 0, 'id'],
  ['mixed_instances_policy', 0, 'launch_template', 0, 'launch_template_specification', 0, 'version'],
  ['mixed_instances_policy', 0, 'launch_template', 0, 'launch_template_specification', 0, 'launch_template_id'],
];

function preferencesOf(asg: Values): RefreshPreferences | undefined {
  const refresh = at(asg, 'instance_refresh', 0) as Values | undefined;
  if (!refresh) return undefined;
  const p = (at(refresh, 'preferences', 0) as Values | undefined) ?? {};
  const num = (value: unknown, fallback: number) =>
    value === null || value === undefined || value === '' ? fallback : Number(value);
  return {
    strategy: String(refresh.strategy ?? 'Rolling'),
    // AWS defaults when a preference is unset: min 90 %, max 100 %, warmup = the group's default warmup.
    minHealthyPercentage: num(p.min_healthy_percentage, 90),
    maxHealthyPercentage: num(p.max_healthy_percentage, 100),
    warmupSeconds: num(p.instance_warmup, num(asg.default_instance_warmup, 0)),
    checkpointPercentages: ((p.checkpoint_percentages as number[] | null) ?? []).map(Number),
    checkpointDelaySeconds: num(p.checkpoint_delay, 3600),
    skipMatching: p.skip_matching === true,
    autoRollback: p.auto_rollback === true,
    scaleInProtectedInstances: (p.scale_in_protected_instances as string | undefined) ?? undefined,
    alarms: ((at(p, 'alarm_specification', 0, 'alarms') as string[] | undefined) ?? []).map(String),
    bakeSeconds: p.bake_time === undefined || p.bake_time === null ? undefined : Number(p.bake_time),
  };
}

function lifecycleHookRisk(rc: PlanResourceChange): RiskyChange | undefined {
  if (!changed(rc, 'initial_lifecycle_hook')) return undefined;
  const names = (values: Values | null) =>
    new Set(((values?.initial_lifecycle_hook as { name: string }[] | undefined) ?? []).map((h) => h.name));
  const before = names(rc.change.before);
  const after = names(rc.change.after);
  const removed = [...before].filter((n) => !after.has(n));
  const added = [...after].filter((n) => !before.has(n));
  const parts = [
    ...removed.map((n) => `removes lifecycle hook ${n}`),
    ...added.map((n) => `adds lifecycle hook ${n}`),
    ...(removed.length + added.length === 0 ? ['changes initial_lifecycle_hook settings'] : []),
  ];
  return {
    address: rc.address,
    action: actionOf(rc) === 'replace' ? 'replace' : 'update',
    what: `ASG ${String(at(rc.change.after, 'name'))} ${parts.join(', ')}`,
    failing: removed.length > 0,
  };
}

export function summarizePlan(
  plan: TerraformPlanJson,
  assumptions: DurationAssumptions = DEFAULT_ASSUMPTIONS,
): PlanSummary {
  const changes = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const groups = new Map<
    string,
    { nodeGroup: string; asgName?: string; amiChanges: AmiChange[]; refresh?: PlannedRefresh }
  >();
  const group = (key: string, nodeGroup: string) => {
    if (!groups.has(key)) groups.set(key, { nodeGroup, amiChanges: [] });
    return groups.get(key)!;
  };
  const covered = new Set<string>();
  const risky: RiskyChange[] = [];
  const updatedTemplates = new Set<string>();

  for (const rc of changes) {
    const action = actionOf(rc);
    if (action === 'no-op' || action === 'read') continue;
    if (rc.type === 'aws_launch_template' && (action === 'update' || action === 'replace')) {
      const { key, nodeGroup } = keyOf(rc);
      updatedTemplates.add(key);
      covered.add(rc.address);
      if (changed(rc, 'image_id')) {
        group(key, nodeGroup).amiChanges.push({
          from: String(at(rc.change.before, 'image_id')),
          to: afterValue(rc, 'image_id'),
          via: `launch template ${String(at(rc.change.after, 'name'))}`,
        });
      }
    }
    const parameter =
      rc.type === 'aws_ssm_parameter'
        ? APPROVED_PARAMETER.exec(String(at(rc.change.after ?? rc.change.before, 'name')))
        : null;
    if (
      parameter &&
      rc.change.before !== null &&
      rc.change.after !== null &&
      (changed(rc, 'value') || changed(rc, 'insecure_value'))
    ) {
      covered.add(rc.address);
      const field = at(rc.change.before, 'insecure_value') ? 'insecure_value' : 'value';
      group(`${parameter[1]}/${parameter[2]}`, parameter[2]).amiChanges.push({
        from: String(at(rc.change.before, field)),
        to: afterValue(rc, field),
        via: `parameter ${String(at(rc.change.after, 'name'))}`,
      });
    }
    if (RISKY_TYPES.has(rc.type) && (action === 'replace' || action === 'delete')) {
      covered.add(rc.address);
      const reason = rc.change.replace_paths?.length
        ? ` (forced by ${rc.change.replace_paths.map((p) => p.join('.')).join(', ')})`
        : '';
      const name = at(rc.change.before, 'name') ?? at(rc.change.before, 'cluster_name') ?? rc.name;
      risky.push({
        address: rc.address,
        action,
        what: `${action === 'replace' ? 'replaces' : 'deletes'} ${rc.type} ${String(name)}${reason}`,
        failing: true,
      });
    }
  }

  // Second pass: ASG refreshes (needs the set of updated launch templates from the first pass).
  for (const rc of changes) {
    if (rc.type !== 'aws_autoscaling_group' || !['update', 'replace'].includes(actionOf(rc))) continue;
    const hookRisk = lifecycleHookRisk(rc);
    if (hookRisk) risky.push(hookRisk);
    if (actionOf(rc) !== 'update') continue;
    const { key, nodeGroup } = keyOf(rc);
    const templateChange = LT_VERSION_PATHS.some(
      (path) => at(rc.change.before, ...path) !== undefined && changed(rc, ...path),
    );
    const triggers = ((at(rc.change.after, 'instance_refresh', 0, 'triggers') as string[] | undefined) ?? []).filter(
      (t) => changed(rc, t),
    );
    if (!templateChange && !updatedTemplates.has(key) && triggers.length === 0) continue;
    covered.add(rc.address);
    const entry = group(key, nodeGroup);
    entry.asgName = String(at(rc.change.after, 'name'));
    const preferences = preferencesOf(rc.change.after ?? {});
    const instancesReplaced = Number(at(rc.change.before, 'desired_capacity') ?? 0);
    const trigger =
      templateChange || updatedTemplates.has(key)
        ? 'launch template version changes'
        : `trigger(s) ${triggers.join(', ')} change`;
    entry.refresh = {
      trigger,
      reasons: refreshReasons(rc, changes, triggers),
      preferences,
      instancesReplaced,
      estimate: preferences ? estimateRefresh({ instancesReplaced, ...preferences }, assumptions) : undefined,
    };
  }

  const impacts = groupImpacts(changes);
  const draining = drainingChanges(changes);
  for (const address of [...impacts, ...draining].flatMap((i) => i.addresses)) covered.add(address);
  for (const d of draining.filter((c) => c.leavesUndrained)) {
    risky.push({
      address: d.addresses[0] ?? d.asgName ?? '',
      action: 'update',
      what: `ASG ${d.asgName} ${d.text}`,
      failing: true,
    });
  }
  const other = changes
    .filter((rc) => !covered.has(rc.address) && !['no-op', 'read'].includes(actionOf(rc)))
    .map((rc) => ({ address: rc.address, action: actionOf(rc) as string }));
  const otherCounts: Record<string, number> = {};
  for (const change of other) otherCounts[change.action] = (otherCounts[change.action] ?? 0) + 1;

  // A group that is replaced or deleted is described by its impact, not as a refresh that never happens.
  const gone = new Set(impacts.filter((i) => i.groupAction !== 'none').map((i) => i.nodeGroup));
  const nodeGroups = [...groups.entries()]
    .map(([key, g]) => ({ key, ...g, amiChanges: g.amiChanges.filter((c) => c.from !== c.to) }))
    .filter((g) => g.refresh !== undefined || (g.amiChanges.length > 0 && !gone.has(g.nodeGroup)))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    terraformVersion: plan.terraform_version,
    headline: headlineOf({ impacts, draining, nodeGroups, otherCount: other.length }),
    nodeGroups,
    impacts,
    draining,
    risky,
    other,
    otherCounts,
    assumptions,
    durationFormula: DURATION_FORMULA,
  };
}

/** `--fail-on-replace`: a risky replacement or deletion is planned. */
export function hasFailingRisk(summary: PlanSummary): boolean {
  return summary.risky.some((r) => r.failing);
}
