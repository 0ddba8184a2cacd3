/**
 * Notification de-duplication ("a repeated event must not page twice").
 *
 * Guarantees, precisely:
 * - In-memory (always on): within one warm Lambda container, a `dedupeKey` is delivered at most once per TTL window.
 *   Lost on cold start and not shared between concurrent containers.
 * - Persistent (optional, injected `DedupeStore`): consulted after the in-memory check. If the store's `claim` is
 *   atomic (for example a DynamoDB conditional put, or SSM PutParameter with Overwrite=false on a per-key parameter),
 *   delivery is at most once per TTL across containers. A non-atomic store (read-modify-write of one blob) narrows the
 *   window but two racing containers may both deliver.
 * - If every configured channel fails, the claims are released so that the next attempt (for example the next scheduled
 *   run) can still deliver: the notifier prefers "delivered late" over "never delivered".
 * - If the persistent store itself fails, the notifier fails open (delivers and logs the store error): a duplicate page
 *   is better than a silenced one.
 * Callers that already keep state (the agent monitor persists a digest of what it last reported) get cross-run
 * de-duplication from that state; the dedupe key is then a second line of defence.
 */

/** A persistent record of delivered dedupe keys, injected by the caller. */
export interface DedupeStore {
  /**
   * Records `key` until `expiresAt` unless an unexpired record exists. Returns true when this caller made the claim
   * (and therefore should deliver), false when the key was already claimed.
   */
  claim(key: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Forgets a claim (called when delivery failed on every channel). */
  release(key: string): Promise<void>;
}

/** Default TTL of a dedupe claim. */
export const DEFAULT_DEDUPE_TTL_MS = 6 * 60 * 60 * 1000;
/** Bound on in-memory entries so a long-lived container cannot grow without limit. */
export const DEFAULT_MAX_IN_MEMORY_KEYS = 1000;

/** Per-container store (a Map of key → expiry). Synchronous underneath; async only to share the interface. */
export class InMemoryDedupeStore implements DedupeStore {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxKeys: number = DEFAULT_MAX_IN_MEMORY_KEYS) {}

  async claim(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    const existing = this.expiries.get(key);
    if (existing !== undefined && existing > now.getTime()) return false;
    this.expiries.delete(key); // Re-insert so Map order stays "oldest claim first" for eviction.
    this.expiries.set(key, expiresAt.getTime());
    this.evict(now.getTime());
    return true;
  }

  async release(key: string): Promise<void> {
    this.expiries.delete(key);
  }

  /** Number of live entries (for tests and diagnostics). */
  get size(): number {
    return this.expiries.size;
  }

  private evict(nowMs: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry <= nowMs) this.expiries.delete(key);
    }
    // Still too many: drop the oldest claims (Map iterates in insertion order).
    for (const key of this.expiries.keys()) {
      if (this.expiries.size <= this.maxKeys) break;
      this.expiries.delete(key);
    }
  }
}
