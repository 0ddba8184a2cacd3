/**
 * Builders of node group rules (lib/node-group/node-group-rules.ts): each returns one rule with its TypeScript check
 * and its HCL condition written from the same arguments, so the two cannot say different things.
 */
import { hclIntRange, inIntRange, intRangeReason, knownItems, Offense, offense, valueAt } from '../rules';
import { isUncheckable } from '../validation';
import { propOf } from './node-group-attributes';
import type { NodeGroupOptions } from './node-group-props';
import type { ResolvedNodeGroup } from './resolve-options';

/** What a rule may depend on beyond the node group: the AMI source's root snapshot size. */
export interface RuleContext {
  readonly minimumRootVolumeGiB: number;
}

/** The attribute of rules about the node group's name (the module's map key). */
export const NAME = 'name';

export interface NodeGroupRule {
  /** Module attribute path (`instance_refresh.max_healthy_percentage`), or {@link NAME}. */
  readonly attribute: string;
  /** HCL condition, true when valid, over one node group `g` (key `k`); `null` attributes are not yet defaulted. */
  readonly hcl: (ctx: RuleContext) => string;
  /** Why a value is rejected; `{path}` placeholders name other attributes. */
  readonly reason: (ctx: RuleContext) => string;
  readonly fix: (ctx: RuleContext) => string;
  /** The construct's check: the offending value, or undefined (valid, or unknown at synth time). */
  readonly check?: (g: ResolvedNodeGroup, ctx: RuleContext) => Offense | undefined;
  /** Options the construct must reject with this rule (tests feed it to the NodeGroup construct). */
  readonly example?: Partial<NodeGroupOptions>;
}

export const text = (value: string) => () => value;
export const at = (g: ResolvedNodeGroup, path: string) => valueAt(g, path === NAME ? 'name' : propOf(path));

/** `g.a.b`, guarded so that an absent optional parent or value passes (the module defaults it later). */
export function guarded(path: string, condition: (x: string) => string, nullable: boolean): string {
  const [parent] = path.split('.');
  const x = `g.${path}`;
  const guards = [parent === 'mixed_instances' && path !== parent ? 'g.mixed_instances == null' : '']
    .concat(nullable ? [`${x} == null`] : [])
    .filter(Boolean);
  return guards.length === 0 ? condition(x) : `(${guards.join(' || ')}) ? true : (${condition(x)})`;
}

/** An integer range rule on one attribute. */
export function intRule(
  attribute: string,
  min: number | ((ctx: RuleContext) => number),
  max: number | undefined,
  fix: string | ((ctx: RuleContext) => string),
  options: { why?: string | ((ctx: RuleContext) => string); nullable?: boolean; example?: Partial<NodeGroupOptions> },
): NodeGroupRule {
  const lo = (ctx: RuleContext) => (typeof min === 'number' ? min : min(ctx));
  const why = (ctx: RuleContext) => (typeof options.why === 'function' ? options.why(ctx) : options.why);
  return {
    attribute,
    hcl: (ctx) => guarded(attribute, (x) => hclIntRange(x, lo(ctx), max), options.nullable ?? false),
    reason: (ctx) => intRangeReason(lo(ctx), max, why(ctx)),
    fix: typeof fix === 'function' ? fix : text(fix),
    check: (g, ctx) => offense(at(g, attribute), (v: number) => inIntRange(v, lo(ctx), max)),
    example: options.example,
  };
}

/** A rule over two attributes of the group (both must be known at synth time). */
export function pairRule(
  attribute: string,
  hcl: string,
  ok: (g: ResolvedNodeGroup) => boolean,
  reads: string[],
  reason: string,
  fix: string,
  example: Partial<NodeGroupOptions>,
): NodeGroupRule {
  return {
    attribute,
    hcl: text(hcl),
    reason: text(reason),
    fix: text(fix),
    check: (g) => (reads.some((path) => isUncheckable(at(g, path))) || ok(g) ? undefined : { value: at(g, attribute) }),
    example,
  };
}

/** A rule over every element of a list attribute. */
export function eachRule(
  attribute: string,
  hclItem: (item: string) => string,
  ok: (item: never, g: ResolvedNodeGroup) => boolean,
  reason: string,
  fix: string,
  example: Partial<NodeGroupOptions> | undefined,
): NodeGroupRule {
  return {
    attribute,
    hcl: text(guarded(attribute, (x) => `alltrue([for item in ${x} : ${hclItem('item')}])`, true)),
    reason: text(reason),
    fix: text(fix),
    check: (g) => {
      const bad = knownItems(at(g, attribute) as unknown[]).find((item) => !ok(item as never, g));
      return bad === undefined ? undefined : { value: bad };
    },
    example,
  };
}
