/**
 * Shared prop validation for every construct in this library.
 *
 * Each checker throws a {@link ValidationError} whose message names the prop, the bad value and the fix, e.g.
 *
 *     NodejsFunction.timeoutSeconds: 1200 is invalid — must be between 1 and 900 (Lambda's maximum). Fix: lower
 *     timeoutSeconds.
 *
 * Conventions:
 * - `prop` is `<ConstructName>.<propName>` (nested: `NodeGroup[x86].instanceRefresh.maxHealthyPercentage`), so a
 *   message points at the line to edit.
 * - Values that are unresolved cdktf tokens (`Token.isUnresolved`) are skipped: they are only known at apply time, when
 *   Terraform or AWS validates them. Every checker returns early for them, so callers need no extra guard.
 * - `undefined` is skipped too (optional props are checked after their default has been applied, or not at all).
 */
import { Token } from 'cdktf';

/** Thrown for invalid construct props; `prop` and `value` are kept for programmatic inspection in tests and tools. */
export class ValidationError extends Error {
  /**
   * @param prop  qualified prop name, e.g. `NodejsFunction.timeoutSeconds`
   * @param value the rejected value
   * @param reason why the value is rejected (starts lower case, no trailing period)
   * @param fix   how to fix it (imperative, no trailing period)
   */
  constructor(
    public readonly prop: string,
    public readonly value: unknown,
    reason: string,
    fix: string,
  ) {
    super(`${prop}: ${describeValue(value)} is invalid — ${reason}. Fix: ${fix}.`);
    this.name = 'ValidationError';
  }
}

/**
 * Throws a {@link ValidationError}. Typed `never` so it can end a branch: `if (bad) invalid(...)`.
 *
 * @param prop   qualified prop name, e.g. `NodejsFunction.timeoutSeconds`
 * @param value  the rejected value
 * @param reason why it is rejected, e.g. `must be between 1 and 900 (Lambda's maximum)`
 * @param fix    what to do, e.g. `lower timeoutSeconds`
 */
export function invalid(prop: string, value: unknown, reason: string, fix: string): never {
  throw new ValidationError(prop, value, reason, fix);
}

/** True when the value cannot be checked at synth time (unresolved token) or is absent (`undefined`). */
export function isUncheckable(value: unknown): boolean {
  return value === undefined || Token.isUnresolved(value);
}

/** Checks that `value` is an integer in `[min, max]` (both inclusive). */
export function checkIntegerRange(
  prop: string,
  value: number | undefined,
  min: number,
  max: number,
  fix: string,
  why = '',
): void {
  if (isUncheckable(value)) return;
  const n = value as number;
  if (!Number.isInteger(n) || n < min || n > max) {
    const rangeText = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer between ${min} and ${max}`;
    invalid(prop, value, `must be ${rangeText}${why ? ` (${why})` : ''}`, fix);
  }
}

/** Checks that `value` is one of `allowed` (compared with `===`). */
export function checkOneOf<T>(prop: string, value: T | undefined, allowed: readonly T[], fix: string): void {
  if (isUncheckable(value)) return;
  if (!allowed.includes(value as T)) {
    invalid(prop, value, `must be one of ${allowed.map((a) => describeValue(a)).join(', ')}`, fix);
  }
}

/** Checks that a string, array or object (by its keys) is not empty; whitespace-only strings count as empty. */
export function checkNonEmpty(
  prop: string,
  value: string | readonly unknown[] | object | undefined,
  fix: string,
): void {
  if (isUncheckable(value)) return;
  const empty =
    typeof value === 'string'
      ? value.trim().length === 0
      : Array.isArray(value)
        ? value.length === 0
        : Object.keys(value as object).length === 0;
  if (empty) invalid(prop, value, 'must not be empty', fix);
}

/** Checks a string against a pattern and a maximum length (AWS names: function, rule, queue …). */
export function checkName(
  prop: string,
  value: string | undefined,
  opts: { readonly maxLength: number; readonly pattern: RegExp; readonly allowedChars: string },
  fix: string,
): void {
  if (isUncheckable(value)) return;
  const s = value as string;
  if (s.length === 0 || s.length > opts.maxLength) {
    invalid(prop, value, `must be 1–${opts.maxLength} characters long (it has ${s.length})`, fix);
  }
  if (!opts.pattern.test(s)) invalid(prop, value, `may only contain ${opts.allowedChars}`, fix);
}

/**
 * Renders a value for an error message: strings quoted, objects as compact JSON, long values shortened, so one
 * message stays on one readable line.
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'function') text = '[function]';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
