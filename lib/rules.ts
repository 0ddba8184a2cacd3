/**
 * Rules written once and rendered twice: as the construct's synth-time {@link ValidationError} and as a Terraform
 * `validation` block of the plain module. A rule's reason and fix may name other props as `{snake_path}` placeholders;
 * the construct renders them in camelCase, the module in snake_case.
 */
import { Token } from 'cdktf';
import { isUncheckable } from './validation';

/** How a rule names props in its text: the construct's camelCase or the module's snake_case. */
export type Spelling = 'construct' | 'module';

/** The offending value of a failed check. */
export interface Offense {
  readonly value: unknown;
}

/** Renders `{a.b_c}` placeholders: the last path segment, camelCased for the construct. */
export function renderText(text: string, spelling: Spelling, propOf: (path: string) => string): string {
  return text.replace(/\{([a-z0-9_.]+)\}/g, (_match, path: string) => {
    const leaf = (spelling === 'construct' ? propOf(path) : path).split('.');
    return leaf[leaf.length - 1];
  });
}

/** Reads a dotted prop path from an object (`undefined` when any step is absent). */
export function valueAt(object: unknown, propPath: string): unknown {
  return propPath
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      object,
    );
}

/** The elements of a list known at synth time (a list token, or token elements, are skipped). */
export function knownItems<T>(list: readonly T[] | undefined): T[] {
  if (list === undefined || Token.isUnresolved(list)) return [];
  return list.filter((item) => !Token.isUnresolved(item));
}

/** An offense when `ok` is false for a value known at synth time. */
export function offense(value: unknown, ok: (v: never) => boolean): Offense | undefined {
  if (isUncheckable(value)) return undefined;
  return ok(value as never) ? undefined : { value };
}

/** `floor(x) == x && x >= min && x <= max` as HCL. */
export function hclIntRange(x: string, min: number, max?: number): string {
  const upper = max === undefined ? '' : ` && ${x} <= ${max}`;
  return `floor(${x}) == ${x} && ${x} >= ${min}${upper}`;
}

/** The reason of an integer range rule, in the construct's established wording. */
export function intRangeReason(min: number, max?: number, why?: string): string {
  const range = max === undefined ? `an integer ≥ ${min}` : `an integer between ${min} and ${max}`;
  return `must be ${range}${why ? ` (${why})` : ''}`;
}

/** True for an integer in [min, max]. */
export function inIntRange(value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** `must be one of "a", "b"`. */
export function oneOfReason(values: readonly string[]): string {
  return `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/** `contains(["a", "b"], x)` as HCL. */
export function hclOneOf(x: string, values: readonly string[]): string {
  return `contains(${JSON.stringify(values)}, ${x})`;
}

/** A sentence of the module: `Invalid <where>: <reason>. Fix: <fix>.` */
export function moduleMessage(where: string, reason: string, fix: string): string {
  return `Invalid ${where}: ${reason}. Fix: ${fix}.`;
}
