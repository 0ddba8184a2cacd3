/**
 * Deterministic, length-bounded AWS resource names: a readable prefix plus a short hash of the full identity, so
 * truncating long prefixes can never make two names collide, and the same construct path always gets the same name.
 */
import { createHash } from 'crypto';

/** Length of the hash suffix; 8 hex chars = 32 bits, ample for the handful of names per account and region. */
export const NAME_HASH_LENGTH = 8;

/** Short stable hash of `identity`. */
export function shortHash(identity: string): string {
  return createHash('sha256').update(identity).digest('hex').slice(0, NAME_HASH_LENGTH);
}

/**
 * `<readable>-<hash>` within `maxLength`: `readable` is sanitized to `allowed` characters (others become `-`) and
 * truncated; the hash is taken over `identity`, which must be unique (e.g. the construct path).
 */
export function deterministicName(
  readable: string,
  identity: string,
  maxLength: number,
  disallowed = /[^A-Za-z0-9_-]/g,
): string {
  const hash = shortHash(identity);
  const room = maxLength - hash.length - 1;
  const prefix = readable
    .replace(disallowed, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, room)
    .replace(/-$/, '');
  return prefix ? `${prefix}-${hash}` : hash;
}
