/**
 * Why an instance refresh happens: what changed in the group's launch template (or the group's refresh triggers), in
 * the words a reviewer checks — "image_id ami-1 → ami-2", "instance_type m7i.large → m7i.xlarge". Pure.
 */
import { PlanResourceChange, Values, actionOf, at } from './plan-json';

/** Attributes that change with every new version and say nothing about why. */
/** Resource tags are not part of a launch template version (tag_specifications are). */
const BOOKKEEPING = new Set([
  'default_version',
  'latest_version',
  'id',
  'arn',
  'tags',
  'tags_all',
  'update_default_version',
]);
/** Attributes shown with their values; others are named only (user data, block devices: too long to print). */
const SHOWN = new Set(['image_id', 'instance_type', 'key_name', 'ebs_optimized']);
const MAX_REASONS = 6;

/**
 * Whether the known parts of `before` and `after` differ. A value "known after apply" somewhere inside (an ARN the
 * block refers to) is no reason by itself: it shows wherever a referenced resource changes or is re-read.
 */
function knownPartsDiffer(before: unknown, after: unknown, unknown: unknown): boolean {
  if (unknown === true) return false;
  if (unknown !== null && typeof unknown === 'object' && after !== null && typeof after === 'object') {
    const keys = new Set([...Object.keys(after), ...Object.keys((before ?? {}) as object)]);
    return [...keys].some((k) =>
      knownPartsDiffer(
        (before as Record<string, unknown> | null)?.[k],
        (after as Record<string, unknown>)[k],
        (unknown as Record<string, unknown>)[k],
      ),
    );
  }
  return JSON.stringify(unsetAsNull(before)) !== JSON.stringify(unsetAsNull(after));
}

/**
 * hashicorp/aws's SDKv2 resources cannot tell an unset nested attribute from its zero value: state may hold `null`
 * where a plan holds `""`, `0`, `false` or `[]` for the same unset attribute. Neither is a reason for a refresh.
 */
function unsetAsNull(value: unknown): unknown {
  const zero = value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
  return zero || value === undefined ? null : value;
}

function attributeChanges(rc: PlanResourceChange): string[] {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = (rc.change.after_unknown ?? {}) as Values;
  const reasons: string[] = [];
  for (const key of Object.keys({ ...before, ...after }).sort()) {
    if (BOOKKEEPING.has(key)) continue;
    const isUnknown = unknown[key] === true;
    if (!isUnknown && !knownPartsDiffer(before[key], after[key], unknown[key])) continue;
    if (SHOWN.has(key))
      reasons.push(`${key} ${String(before[key])} → ${isUnknown ? '(known after apply)' : String(after[key])}`);
    else reasons.push(`${key} changes`);
  }
  return reasons;
}

/** Reasons for the refresh of group `asg` (an update). */
export function refreshReasons(
  asg: PlanResourceChange,
  changes: readonly PlanResourceChange[],
  triggers: readonly string[],
): string[] {
  const templateId = at(asg.change.before, 'launch_template', 0, 'id');
  const template = changes.find(
    (rc) =>
      rc.type === 'aws_launch_template' &&
      templateId !== undefined &&
      at(rc.change.before, 'id') === templateId &&
      ['update', 'replace'].includes(actionOf(rc)),
  );
  const reasons = template ? attributeChanges(template).map((r) => `launch template ${r}`) : [];
  if (template && actionOf(template) === 'replace') reasons.unshift('launch template replaced');
  for (const trigger of triggers) reasons.push(`${trigger} changes (refresh trigger)`);
  if (reasons.length === 0) reasons.push('launch template version changes');
  return reasons.length > MAX_REASONS ? [...reasons.slice(0, MAX_REASONS), 'and more'] : reasons;
}
