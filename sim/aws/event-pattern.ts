/**
 * EventBridge event-pattern matcher for the simulated bus and the trigger tests: does a rule's pattern match an event?
 * It implements the pattern features of the Amazon EventBridge User Guide that our rules use, and refuses (throws on)
 * the ones it does not implement, so a pattern is never silently mis-evaluated:
 * - "Amazon EventBridge event patterns" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html):
 *   a pattern has the structure of the events it matches; every field it names must be in the event, at the same
 *   nesting; fields it does not name are ignored; a leaf is an array of values, any of which may match; strings match
 *   character by character, without case folding.
 * - "Arrays in Amazon EventBridge event patterns" (…/eb-event-patterns-arrays.html): when the event value is an array,
 *   the pattern matches if the pattern array and the event array intersect.
 * - "Matching null values and empty strings" (…/eb-event-patterns-null-values.html): `null` and `""` are values, and
 *   not interchangeable.
 * - "Content filtering in Amazon EventBridge event patterns" (…/eb-event-patterns-content-based-filtering.html) and
 *   "Comparison operators for use in event patterns" (…/eb-create-pattern-operators.html): `prefix`, `suffix`,
 *   `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, or a prefix / suffix / equals-ignore-case),
 *   `numeric` (JSON numbers only), `exists` (leaf nodes only: an object in the event counts as absent), and `$or`.
 * Not implemented (throws): `cidr`. Known difference: EventBridge compares numbers by their JSON text (300 ≠ 300.0);
 * after JSON.parse both are 300 here. The same rules are implemented by aws/event-ruler, the library the User Guide's
 * examples come from (https://github.com/aws/event-ruler, README "Ruler by Example").
 */

/** A parsed event pattern (what `aws events put-rule --event-pattern` takes, as JSON). */
export type EventPattern = { readonly [field: string]: unknown };

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists']);
const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>=', '>']);

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** Patterns already checked (a rule's pattern is evaluated against every event on the bus). */
const validated = new WeakSet<object>();

/** True when `pattern` matches `event`. Throws on a malformed pattern or an operator this matcher lacks. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (!validated.has(pattern)) {
    assertValidPattern(pattern);
    validated.add(pattern);
  }
  return matchObject(pattern, isObject(event) ? event : {});
}

/** Throws with the path of the first problem: a leaf that is not a non-empty array, an unknown operator, … */
export function assertValidPattern(pattern: unknown, path = '$'): void {
  if (!isObject(pattern)) throw new Error(`event pattern ${path} must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new Error(`${at} must be an array of two or more patterns`);
      value.forEach((alternative, index) => assertValidPattern(alternative, `${at}[${index}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new Error(`${at} is an empty array: it would match nothing`);
      value.forEach((matcher, index) => assertValidMatcher(matcher, `${at}[${index}]`));
    } else if (isObject(value)) {
      assertValidPattern(value, at);
    } else {
      throw new Error(`${at} must be an array of values or a nested pattern, got ${JSON.stringify(value)}`);
    }
  }
}

function assertValidMatcher(matcher: unknown, at: string): void {
  if (!isObject(matcher)) return; // a literal: string, number, boolean or null
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new Error(`${at} must have exactly one operator, got ${keys.join(', ')}`);
  const [operator] = keys;
  if (!OPERATORS.has(operator)) throw new Error(`${at} uses ${operator}, which this matcher does not implement`);
  const operand = matcher[operator];
  if (operator === 'numeric') assertNumeric(operand, at);
  if (operator === 'exists' && typeof operand !== 'boolean') throw new Error(`${at}.exists must be true or false`);
  if (operator === 'anything-but' && isObject(operand)) assertValidMatcher(operand, `${at}.anything-but`);
}

function assertNumeric(operand: unknown, at: string): void {
  const ok =
    Array.isArray(operand) &&
    (operand.length === 2 || operand.length === 4) &&
    operand.every((item, index) =>
      index % 2 === 0 ? NUMERIC_OPERATORS.has(String(item)) : typeof item === 'number' && Number.isFinite(item),
    );
  if (!ok) throw new Error(`${at}.numeric must be [op, number] or [op, number, op, number], got ${String(operand)}`);
}

function matchObject(pattern: EventPattern, event: { readonly [key: string]: unknown }): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as EventPattern[]).some((alternative) => matchObject(alternative, event));
    const actual = event[key];
    if (Array.isArray(expected)) return matchLeaf(expected, key in event ? actual : undefined, key in event);
    // A nested pattern: the event value must be an object, or an array of which some object matches.
    if (isObject(actual)) return matchObject(expected as EventPattern, actual);
    if (Array.isArray(actual)) {
      return actual.some((item) => isObject(item) && matchObject(expected as EventPattern, item));
    }
    return false;
  });
}

/** A leaf: any matcher against any of the event's values (one value, or the elements of an array). */
function matchLeaf(matchers: readonly unknown[], actual: unknown, present: boolean): boolean {
  // "exists" looks at leaf nodes only: an object (an intermediate node) counts as absent.
  const values: Json[] =
    !present || isObject(actual) ? [] : Array.isArray(actual) ? (actual as Json[]) : [actual as Json];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return matcher.exists === values.length > 0;
    return values.some((value) => matchValue(matcher, value));
  });
}

function matchValue(matcher: unknown, value: Json): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [operator] = Object.keys(matcher);
  const operand = matcher[operator];
  switch (operator) {
    case 'anything-but':
      return !matchesAnyOf(operand, value);
    case 'numeric':
      return typeof value === 'number' && numericMatch(operand as readonly (string | number)[], value);
    default:
      return stringOperator(operator, operand, value);
  }
}

/** `anything-but` operand: a value, a list of values, or one string operator. */
function matchesAnyOf(operand: unknown, value: Json): boolean {
  if (Array.isArray(operand)) return operand.some((item) => item === value);
  if (isObject(operand)) {
    const [operator] = Object.keys(operand);
    return stringOperator(operator, operand[operator], value);
  }
  return operand === value;
}

/** prefix / suffix / equals-ignore-case / wildcard; only string values match. `prefix` and `suffix` take either a
 * string or `{ "equals-ignore-case": string }`. */
function stringOperator(operator: string, operand: unknown, value: Json): boolean {
  if (typeof value !== 'string') return false;
  const ignoreCase = isObject(operand) && typeof operand['equals-ignore-case'] === 'string';
  const text = String(ignoreCase ? (operand as Record<string, unknown>)['equals-ignore-case'] : operand);
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  switch (operator) {
    case 'prefix':
      return fold(value).startsWith(fold(text));
    case 'suffix':
      return fold(value).endsWith(fold(text));
    case 'equals-ignore-case':
      return value.toLowerCase() === text.toLowerCase();
    case 'wildcard':
      return wildcardRegExp(text).test(value);
    default:
      throw new Error(`operator ${operator} is not implemented`);
  }
}

function numericMatch(conditions: readonly (string | number)[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = conditions[i + 1] as number;
    const ok = {
      '<': value < bound,
      '<=': value <= bound,
      '=': value === bound,
      '>=': value >= bound,
      '>': value > bound,
    };
    if (!ok[conditions[i] as keyof typeof ok]) return false;
  }
  return true;
}

/** `*` matches any run of characters; `\*` a literal asterisk, `\\` a backslash. */
function wildcardRegExp(text: string): RegExp {
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) source += escapeRegExp(text[++i]);
    else source += char === '*' ? '.*' : escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
