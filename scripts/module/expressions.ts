/**
 * Small helpers for writing Terraform expressions from TypeScript in the plain Terraform module.
 */
import { forExpression, Fn, IResolvable, Lazy, MapTerraformIterator, Token } from 'cdktf';
import type { NodeGroup } from '../../lib/node-group/node-group';
import type { NodeGroupListOptions, NodeGroupLister } from '../../lib/gates/gate-permissions';

/**
 * A raw Terraform expression (without `${}`) as a cdktf token, so the constructs' validation sees an unresolved value
 * and skips it (lib/validation.ts) instead of checking the text.
 */
export function hcl(expression: string): string {
  return Token.asString(Token.asAny(`\${${expression}}`));
}

/** {@link hcl} typed as a number (a string token: stays intact inside template strings such as `String(n)`). */
export function hclNumber(expression: string): number {
  return hcl(expression) as unknown as number;
}

/** {@link hcl} typed as a boolean. */
export function hclBoolean(expression: string): boolean {
  return hcl(expression) as unknown as boolean;
}

/** {@link hcl} typed as a list of strings. */
export function hclList(expression: string): string[] {
  return Token.asList(Token.asAny(`\${${expression}}`));
}

/** {@link hcl} typed as a string map. */
export function hclMap(expression: string): Record<string, string> {
  return Token.asStringMap(Token.asAny(`\${${expression}}`));
}

/**
 * The per-node-group value `value` as an iterator-relative attribute: `each.value.<path>` inside a resource with
 * `for_each`, `val.<path>` inside a `for` expression over the same map (cdktf resolves iterator values by context).
 */
export function eachValue(iterator: MapTerraformIterator, ...path: string[]): string {
  return Token.asString(Fn.lookupNested(iterator.value, path));
}

/** Options of {@link forEachNodeGroup}. */
export interface ForEachNodeGroupOptions {
  /**
   * Iterator over the node groups in ami_mode "auto": lists the constructs ask for `autoOnly` iterate it.
   * @default the main iterator
   */
  readonly autoNodeGroups?: MapTerraformIterator;
  /**
   * Drop null attributes from object elements (recursively): a construct decides in TypeScript whether an optional
   * attribute is present; for the iterated node group the module passes `cond ? value : null` and Terraform drops it.
   * @default false
   */
  readonly dropNulls?: boolean;
}

/**
 * `{ for k, v in <object> : k => v if v != null }` around every plain object of `value` (Terraform cannot omit a key in
 * a conditional).
 */
function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Token.isUnresolved(value)) return value;
  const object = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, withoutNulls(v)]));
  return Lazy.anyValue({
    produce: (context) => {
      context.iteratorContext = 'FOR_EXPRESSION';
      // merge() of one object is the object; resolving it renders the object literal as an HCL expression.
      return `{ for k, v in ${String(context.resolve(Fn.merge([object])))} : k => v if v != null }`;
    },
  });
}

/** The lister the module passes to the constructs: `[for key, val in <node groups> : <value of the node group>]`. */
export function forEachNodeGroup(
  iterator: MapTerraformIterator,
  options: ForEachNodeGroupOptions = {},
): NodeGroupLister {
  return <T>(groups: readonly NodeGroup[], value: (group: NodeGroup) => T, listOptions?: NodeGroupListOptions): T[] => {
    if (groups.length !== 1)
      throw new Error(`the module's lister expects the one iterated node group, got ${groups.length}`);
    const input = listOptions?.autoOnly && options.autoNodeGroups ? options.autoNodeGroups : iterator;
    const raw = options.dropNulls ? (withoutNulls(value(groups[0])) as T) : value(groups[0]);
    // A string element renders as a bare expression part in a `for`; tostring() makes it a quoted template.
    const element = typeof raw === 'string' ? Fn.tostring(raw) : raw;
    const expression: IResolvable = Lazy.anyValue({
      produce: (context) => {
        // As TerraformDynamicExpression does: iterator references inside `element` render as key / val.
        context.iteratorContext = 'FOR_EXPRESSION';
        return context.resolve(
          forExpression((input as unknown as { _getForEachExpression(): string })._getForEachExpression(), element),
        );
      },
    });
    return (typeof raw === 'string' ? Token.asList(expression) : Token.asAny(expression)) as unknown as T[];
  };
}

/** The module's name prefix cut to `length` characters (for name_prefix arguments with a length limit). */
export const modulePrefix = (length: number): string => hcl(`substr(local.name_prefix, 0, ${length})`);
