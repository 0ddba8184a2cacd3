/**
 * JSON rendering that survives cdktf tokens.
 */
import { Fn, Token, Tokenization } from 'cdktf';

/** True when `value` (deeply) contains an unresolved token: a token string/number/list or an `IResolvable`. */
export function containsToken(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Token.isUnresolved(value) || Tokenization.isResolvable(value)) return true;
  if (Array.isArray(value)) return value.some(containsToken);
  if (typeof value === 'object')
    return Object.entries(value).some(([k, v]) => Token.isUnresolved(k) || containsToken(v));
  return false;
}

/**
 * JSON text for a Terraform string argument. Plain values use `JSON.stringify` (readable, stable in the synthesized
 * JSON). Values with tokens use Terraform's `jsonencode()`: `JSON.stringify` would embed token markers inside a
 * string, which breaks for list tokens and for values that need quoting.
 */
export function toJsonString(value: unknown): string {
  return containsToken(value) ? Fn.jsonencode(value) : JSON.stringify(value);
}
