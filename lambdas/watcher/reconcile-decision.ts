/**
 * Reconciliation of the approved parameter with the group state (auto mode). Pure: observed state + clock → action.
 * Runs on every sweep, after every promotion write and on SSM's "Parameter Store Change" event for an approved
 * parameter, so a promotion interrupted at any point (crash, timeout, throttling) is finished, and an approved value
 * nobody recorded is never left without a refresh.
 *
 * First match wins:
 *  1. a rollback is in progress                         → NONE (the rollback owns the approved parameter)
 *     the promotion is held for an operator             → NONE (refresh-outcome-decision.ts HOLD)
 *  2. approved parameter unreadable                     → NONE (the promotion policy reports NO_APPROVED_AMI)
 *  3. pending promotion of B (previous A), approved = B:
 *     a refresh is active: started after the promotion  → ADOPT_REFRESH (a crash after StartInstanceRefresh lost
 *                          its id)
 *                          started before, or the promotion resumes after its refresh was cancelled or failed without
 *                          evidence (the active refresh is Terraform's or an operator's) → WAIT (never two refreshes)
 *     every instance already runs B                     → SETTLE (no refresh needed)
 *     resumed while the pause switch is on              → WAIT
 *     otherwise                                         → START_REFRESH
 *  4. pending B, approved = A (B not visible yet):
 *     last write < REWRITE_AFTER ago                    → WAIT (SSM's asynchronous aws:ec2:image validation)
 *     fewer than MAX_APPROVED_WRITES writes             → REWRITE (idempotent: the write may never have happened)
 *     otherwise                                         → ABANDON (SSM keeps rejecting B; it stays in the history)
 *  5. pending B, approved = C (neither)                 → as 7 (someone else wrote C: it supersedes B)
 *  6. no pending, approved explained by the state       → NONE
 *  7. approved unexplained (no record at all):
 *     C is on the deny list                             → BLOCKED (never converge a fleet to a denied AMI; notify)
 *     every instance already runs C                     → ADOPT without refresh (record it)
 *     pause switch on                                   → BLOCKED (adopted once the switch is off)
 *     otherwise                                         → ADOPT with refresh (the fleet converges; notify)
 * Why adopt and not restore: new launches already resolve C through `resolve:ssm:`, so a fleet left alone drifts onto
 * C one launch at a time with no refresh to watch and nothing to roll back; restoring the old value would overrule an
 * operator's deliberate write. A refresh makes the change visible, gated (launch/drain gates) and roll-back-able.
 */
import type { GroupState } from './state';
import type { RefreshView } from './types';

/** SSM: "This process can take up to a few minutes … you can try again after 5 minutes have passed." */
export const REWRITE_AFTER_MS = 10 * 60 * 1000;
/** Writes of one promotion's approved value before the watcher gives up on it (≈ 30 min in all). */
export const MAX_APPROVED_WRITES = 3;

export interface ReconcileInput {
  readonly state: GroupState;
  /** Visible value of the approved parameter (undefined: unreadable). */
  readonly approvedAmiId?: string;
  /** Value of the previous parameter; read only when the state holds no record of the approved value. */
  readonly previousAmiId?: string;
  readonly activeRefresh?: RefreshView;
  /** AMI of every instance of the group (undefined entries: not described yet); undefined: the ASG was not found. */
  readonly fleetAmiIds?: readonly (string | undefined)[];
  readonly denyList: readonly string[];
  readonly paused: boolean;
  readonly now: Date;
}

export type ReconcileDecision =
  | { readonly action: 'NONE'; readonly reason: string }
  | { readonly action: 'WAIT'; readonly reason: string }
  | { readonly action: 'START_REFRESH'; readonly amiId: string; readonly reason: string }
  | { readonly action: 'ADOPT_REFRESH'; readonly amiId: string; readonly refresh: RefreshView; readonly reason: string }
  | { readonly action: 'SETTLE'; readonly amiId: string; readonly reason: string }
  | { readonly action: 'REWRITE'; readonly amiId: string; readonly previousAmiId: string; readonly reason: string }
  | { readonly action: 'ABANDON'; readonly amiId: string; readonly previousAmiId: string; readonly reason: string }
  | {
      readonly action: 'ADOPT';
      readonly amiId: string;
      readonly previousAmiId: string;
      readonly refresh: boolean;
      readonly reason: string;
    }
  | { readonly action: 'BLOCKED'; readonly amiId: string; readonly code: 'DENIED' | 'PAUSED'; readonly reason: string };

const ROLLED_BACK = new Set(['Failed', 'Cancelled']);

/**
 * The approved values the state accounts for, and the one the fleet was last converged to (the rollback target of an
 * adopted AMI). undefined: nothing is known (no record and the previous parameter unreadable) — then nothing is
 * adopted.
 */
export function recordedApproved(
  state: GroupState,
  previousAmiId: string | undefined,
): { explained: string[]; last: string } | undefined {
  if (state.approved !== undefined) return { explained: [state.approved], last: state.approved };
  const refresh = state.refresh;
  if (refresh !== undefined) {
    // States written before `approved` existed: a failed/cancelled refresh was rolled back (or could not be).
    const rolledBack = refresh.outcome !== undefined && ROLLED_BACK.has(refresh.outcome);
    return rolledBack
      ? { explained: [refresh.previousAmiId, refresh.amiId], last: refresh.previousAmiId }
      : { explained: [refresh.amiId], last: refresh.amiId };
  }
  // Nothing promoted yet: Terraform creates approved = previous = the AMI the fleet was built from.
  return previousAmiId === undefined ? undefined : { explained: [previousAmiId], last: previousAmiId };
}

/** True when the state alone cannot explain the approved value (the caller then reads the previous parameter). */
export function needsPreviousParameter(state: GroupState): boolean {
  return (
    state.rollback === undefined &&
    state.pending === undefined &&
    state.approved === undefined &&
    state.refresh === undefined
  );
}

function allOn(fleet: readonly (string | undefined)[] | undefined, amiId: string): boolean {
  return fleet !== undefined && fleet.every((id) => id === amiId);
}

export function decideReconcile(input: ReconcileInput): ReconcileDecision {
  const { state, approvedAmiId: approved } = input;
  if (state.rollback) return { action: 'NONE', reason: `rollback of ${state.rollback.failedAmiId} in progress` };
  if (state.hold) return { action: 'NONE', reason: `rollout of ${state.hold.amiId} held: ${state.hold.reason}` };
  if (approved === undefined) return { action: 'NONE', reason: 'the approved parameter has no readable AMI' };

  const pending = state.pending;
  if (pending !== undefined && approved === pending.amiId) {
    const active = input.activeRefresh;
    if (active) {
      const startedAfter = active.startTime !== undefined && active.startTime.getTime() >= Date.parse(pending.at);
      if (startedAfter && !pending.adopted && !pending.resumed) {
        return {
          action: 'ADOPT_REFRESH',
          amiId: pending.amiId,
          refresh: active,
          reason:
            `instance refresh ${active.id} started after the promotion of ${pending.amiId}: ` +
            'recorded as its refresh',
        };
      }
      return {
        action: 'WAIT',
        reason: `instance refresh ${active.id} is ${active.status}: the refresh for ${pending.amiId} starts after it`,
      };
    }
    if (allOn(input.fleetAmiIds, pending.amiId)) {
      return {
        action: 'SETTLE',
        amiId: pending.amiId,
        reason: `every instance already runs ${pending.amiId}: no refresh needed`,
      };
    }
    if (pending.resumed && input.paused) {
      return { action: 'WAIT', reason: `the pause switch is on: the refresh for ${pending.amiId} starts after it` };
    }
    return {
      action: 'START_REFRESH',
      amiId: pending.amiId,
      reason: `${pending.amiId} is visible in the approved parameter`,
    };
  }
  if (pending !== undefined && approved === pending.previousAmiId) {
    const sinceWrite = input.now.getTime() - Date.parse(pending.at);
    if (sinceWrite < REWRITE_AFTER_MS) {
      return { action: 'WAIT', reason: `waiting for SSM to validate ${pending.amiId} in the approved parameter` };
    }
    if (pending.writes < MAX_APPROVED_WRITES) {
      return {
        action: 'REWRITE',
        amiId: pending.amiId,
        previousAmiId: pending.previousAmiId,
        reason:
          `${pending.amiId} still not visible ${Math.floor(sinceWrite / 60_000)} min ` +
          `after write ${pending.writes}: writing it again`,
      };
    }
    return {
      action: 'ABANDON',
      amiId: pending.amiId,
      previousAmiId: pending.previousAmiId,
      reason: `SSM did not accept ${pending.amiId} as the approved AMI after ${pending.writes} write(s)`,
    };
  }

  let previous: string;
  let why: string;
  if (pending !== undefined) {
    previous = pending.previousAmiId;
    why =
      `the approved parameter holds ${approved}, written outside the watcher ` +
      `while ${pending.amiId} was being promoted`;
  } else {
    const recorded = recordedApproved(state, input.previousAmiId);
    if (recorded === undefined)
      return { action: 'NONE', reason: 'no record of the approved AMI and the previous parameter is unreadable' };
    if (recorded.explained.includes(approved))
      return { action: 'NONE', reason: `${approved} is the recorded approved AMI` };
    previous = recorded.last;
    why =
      `the approved parameter holds ${approved} but the watcher's last recorded approved AMI is ${recorded.last} ` +
      `(a promotion interrupted before it was recorded, or a manual write)`;
  }
  if (input.denyList.includes(approved)) {
    return {
      action: 'BLOCKED',
      amiId: approved,
      code: 'DENIED',
      reason: `${why}; ${approved} is on the deny list: the fleet is NOT converged to it — fix the approved parameter`,
    };
  }
  if (allOn(input.fleetAmiIds, approved)) {
    return {
      action: 'ADOPT',
      amiId: approved,
      previousAmiId: previous,
      refresh: false,
      reason: `${why}; every instance already runs it: adopted without a refresh`,
    };
  }
  if (input.paused)
    return {
      action: 'BLOCKED',
      amiId: approved,
      code: 'PAUSED',
      reason: `${why}; the pause switch is on: adopted once it is off`,
    };
  return {
    action: 'ADOPT',
    amiId: approved,
    previousAmiId: previous,
    refresh: true,
    reason: `${why}; adopting it: instance refresh so the fleet converges`,
  };
}
