/**
 * What the watcher remembers per node group, without a database: one JSON String SSM parameter per node group
 * (`nodeGroups[].stateParameterName`). Compact and bounded (≪ 4 KB, the Standard tier limit). Pure functions only;
 * reading/writing lives in adapters/ssm.ts.
 *
 * Concurrency: the watcher runs with reserved concurrency 1 (see README), so read-modify-write of this parameter is
 * not raced by another watcher invocation.
 */
import { z } from 'zod';

/** Keep the last N promoted/reported AMIs: enough to never re-promote a recent AMI, small enough for 4 KB. */
export const HISTORY_LIMIT = 20;

const amiId = z.string().min(1);
const isoTime = z.string().min(1);

const groupStateSchema = z.object({
  v: z.literal(1),
  /** auto: AMIs promoted (newest last); gitops: AMIs reported. */
  history: z.array(amiId).default([]),
  /**
   * auto: a promotion in flight, recorded BEFORE the approved parameter is written (a crash at any point leaves a
   * record the next run finishes): `at` = time of the last write attempt, `writes` = attempts so far (SSM validates
   * `aws:ec2:image` writes asynchronously and silently drops a rejected one), `adopted` = the watcher found the AMI in
   * the approved parameter without a record and is converging the fleet to it (reconcile.ts).
   */
  pending: z
    .object({
      amiId,
      previousAmiId: amiId,
      at: isoTime,
      writes: z.number().int().min(0).default(1),
      adopted: z.boolean().optional(),
      /**
       * The promotion's refresh ended without evidence against the AMI (cancelled by someone else, or failed for
       * another reason) this many times: the watcher starts it again once no other refresh runs
       * (reconcile-decision.ts).
       */
      resumed: z.number().int().min(1).optional(),
    })
    .optional(),
  /**
   * auto: the approved value the watcher last settled (refresh started for it, rollback restored it, promotion
   * abandoned and it stayed, or adopted). An approved parameter holding anything else was written outside a recorded
   * promotion (crash of an older version between the writes, or by hand): reconcile.ts adopts it. Absent in states
   * written before this field existed: derived from `refresh` / the previous parameter instead.
   */
  approved: amiId.optional(),
  /** auto: the last refresh the watcher started, and how it ended (undefined = not seen ending yet). */
  refresh: z
    .object({
      id: z.string().min(1),
      amiId,
      previousAmiId: amiId,
      startedAt: isoTime,
      outcome: z.string().optional(),
      /** It resumes a promotion whose earlier refresh ended without evidence (count carried from `pending.resumed`). */
      resumed: z.number().int().min(1).optional(),
      /** The watcher asked Auto Scaling to cancel it (recorded before CancelInstanceRefresh), and why. */
      cancel: z.object({ at: isoTime, reason: z.enum(['evidence', 'deadline']) }).optional(),
    })
    .optional(),
  /** auto: replacing the instances of a rolled-back AMI with a refresh of the restored AMI (launch first). */
  rollback: z
    .object({
      failedAmiId: amiId,
      restoredAmiId: amiId,
      refreshId: z.string().optional(),
      startedAt: isoTime,
      /** The refresh that replaces the instances of the failed AMI (the latest attempt), and how many were started. */
      replaceRefreshId: z.string().optional(),
      replaceAttempts: z.number().int().min(0).default(0),
    })
    .optional(),
  /**
   * auto: the promotion of `amiId` is held for an operator: its refresh stalled past the deadline without evidence
   * against the AMI, or ended without such evidence too often. Turning the pause switch on and off resumes it.
   */
  hold: z.object({ amiId, previousAmiId: amiId, reason: z.string(), at: isoTime }).optional(),
  /** Category → fingerprint of the last notification sent (suppresses hourly repeats across cold starts). */
  notified: z.record(z.string()).default({}),
});

export type GroupState = z.output<typeof groupStateSchema>;

export const EMPTY_STATE: GroupState = { v: 1, history: [], notified: {} };

export type ParsedState = { readonly state: GroupState; readonly problem?: string };

/** Missing → empty; unparseable → empty plus a problem to log (the deny list still protects against re-promotion). */
export function parseGroupState(raw: string | undefined): ParsedState {
  if (raw === undefined || raw.trim() === '' || raw.trim() === '{}') return { state: EMPTY_STATE };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { state: EMPTY_STATE, problem: 'state parameter is not JSON: starting from an empty state' };
  }
  const parsed = groupStateSchema.safeParse(value);
  if (!parsed.success) {
    return {
      state: EMPTY_STATE,
      problem:
        `state parameter has an unexpected shape (${parsed.error.issues[0]?.message}): ` +
        'starting from an empty state',
    };
  }
  return { state: parsed.data };
}

export function serializeGroupState(state: GroupState): string {
  return JSON.stringify({ ...state, history: state.history.slice(-HISTORY_LIMIT) });
}

export function sameState(a: GroupState, b: GroupState): boolean {
  return serializeGroupState(a) === serializeGroupState(b);
}

export function withHistory(state: GroupState, amiIdToAdd: string): GroupState {
  const history = state.history
    .filter((id) => id !== amiIdToAdd)
    .concat(amiIdToAdd)
    .slice(-HISTORY_LIMIT);
  return { ...state, history };
}

/** True when the notification `category` with `fingerprint` was not the last one sent. */
export function shouldNotify(state: GroupState, category: string, fingerprint: string): boolean {
  return state.notified[category] !== fingerprint;
}

export function withNotified(state: GroupState, category: string, fingerprint: string): GroupState {
  return { ...state, notified: { ...state.notified, [category]: fingerprint } };
}

/**
 * The deny list parameter: a StringList (`ami-a,ami-b`) or a JSON array. Non-AMI placeholders (e.g. "none") are
 * ignored.
 */
export function parseDenyList(raw: string | undefined): {
  readonly amiIds: string[];
  readonly format: 'list' | 'json';
} {
  const text = raw?.trim() ?? '';
  if (text.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      if (Array.isArray(value))
        return {
          amiIds: value.filter((v): v is string => typeof v === 'string' && v.startsWith('ami-')),
          format: 'json',
        };
    } catch {
      // Fall through: treat as a list.
    }
  }
  return {
    amiIds: text
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.startsWith('ami-')),
    format: 'list',
  };
}

/** Deny list entries kept: a StringList parameter holds 4 KB, about 180 AMI ids; keep the newest 100. */
export const DENY_LIST_LIMIT = 100;

export function serializeDenyList(amiIds: readonly string[], format: 'list' | 'json'): string {
  const kept = amiIds.slice(-DENY_LIST_LIMIT);
  return format === 'json' ? JSON.stringify(kept) : kept.join(',');
}
