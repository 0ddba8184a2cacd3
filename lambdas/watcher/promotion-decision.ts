/**
 * The promotion policy: observed state + config + clock → PROMOTE / REPORT_ONLY / SKIP (with a reason) / NOTHING_NEW.
 * Pure: no AWS, no clock of its own, so the decision table is unit-tested exhaustively and the operator CLI can explain
 * why an AMI is (not yet) rolling out.
 *
 * Order of the checks (first match wins) and why:
 *  1. source parameter missing / not an AMI id   → SKIP   (never act on garbage; the operator must fix the source)
 *  2. auto: approved parameter unreadable        → SKIP   (no rollback target could be recorded)
 *  3. candidate is already approved              → NOTHING_NEW
 *     gitops: already reported / fleet runs it   → NOTHING_NEW
 *  4. candidate on the deny list                 → SKIP   (a rolled-back AMI never comes back by itself)
 *  5. auto: candidate promoted before            → SKIP   (never promote the same AMI twice)
 *  6. pause switch on                            → SKIP
 *  7. auto: rollback / pending or held promotion / active refresh → SKIP (one change at a time; never two refreshes)
 *  8. image not describable / younger than the minimum age → SKIP
 *  9. auto: outside every maintenance window     → SKIP
 * 10. auto → PROMOTE; gitops → REPORT_ONLY (Terraform owns the AMI; the watcher only reports)
 */
import { MaintenanceWindow } from './config';
import { describeWindows, inMaintenanceWindow } from './maintenance-window';
import { Candidate, PauseState, RefreshView } from './types';

export type AmiMode = 'auto' | 'gitops';

export type SkipCode =
  | 'PARAMETER_MISSING'
  | 'INVALID_PARAMETER'
  | 'NO_APPROVED_AMI'
  | 'DENIED'
  | 'ALREADY_PROMOTED'
  | 'PAUSED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'PROMOTION_PENDING'
  | 'HELD'
  | 'REFRESH_IN_PROGRESS'
  | 'IMAGE_NOT_FOUND'
  | 'UNKNOWN_AGE'
  | 'TOO_NEW'
  | 'OUTSIDE_WINDOW';

export interface PromotionInput {
  readonly mode: AmiMode;
  readonly candidate: Candidate;
  /** auto: value of the approved parameter (undefined when it could not be read). Ignored in gitops mode. */
  readonly approvedAmiId?: string;
  /** AMI of each instance of the node group (undefined = not yet known). gitops: counts instances on older AMIs. */
  readonly fleetAmiIds: readonly (string | undefined)[];
  /** auto: AMIs the watcher promoted before; gitops: AMIs it already reported. */
  readonly historyAmiIds: readonly string[];
  readonly denyList: readonly string[];
  readonly pause: PauseState;
  /** The group's active instance refresh (Pending/InProgress/Cancelling/RollbackInProgress/Baking), if any. */
  readonly activeRefresh?: RefreshView;
  /** auto: the watcher is still replacing instances of a rolled-back AMI. */
  readonly rollback?: { readonly failedAmiId: string; readonly remaining: number };
  /** auto: an AMI was written to the approved parameter but its refresh has not started yet. */
  readonly pendingAmiId?: string;
  /** auto: the rollout of this AMI is held for an operator (its refresh stalled without evidence against it). */
  readonly heldAmiId?: string;
  readonly minAmiAgeHours: number;
  readonly maintenanceWindows: readonly MaintenanceWindow[];
  readonly now: Date;
}

export type PromotionDecision =
  | { readonly action: 'PROMOTE'; readonly amiId: string; readonly reason: string }
  | {
      readonly action: 'REPORT_ONLY';
      readonly amiId: string;
      readonly reason: string;
      readonly instancesOnOlderAmis: number;
    }
  | { readonly action: 'SKIP'; readonly code: SkipCode; readonly amiId?: string; readonly reason: string }
  | { readonly action: 'NOTHING_NEW'; readonly amiId?: string; readonly reason: string };

const HOUR_MS = 3600_000;

/** `3h`, `23h 59m`, `45m`, `0m` (floored: an AMI 1 s short of 24 h reads "23h 59m"). */
export function formatAge(ms: number): string {
  const totalMinutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes}m`;
  return minutes === 0 ? `${hours}h` : `${hours}h ${minutes}m`;
}

function formatHours(hours: number): string {
  return Number.isInteger(hours) ? `${hours}h` : `${hours.toFixed(2).replace(/0+$/, '')}h`;
}

function skip(code: SkipCode, reason: string, amiId?: string): PromotionDecision {
  return { action: 'SKIP', code, reason, ...(amiId ? { amiId } : {}) };
}

export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { candidate, mode } = input;
  if (candidate.kind === 'missing') {
    return skip('PARAMETER_MISSING', `source parameter ${candidate.parameterName} does not exist or has no value`);
  }
  if (candidate.kind === 'invalid') {
    return skip(
      'INVALID_PARAMETER',
      `source parameter ${candidate.parameterName} holds "${candidate.value}", not an AMI id (ami-…)`,
    );
  }
  const amiId = candidate.amiId;

  if (mode === 'auto') {
    if (input.approvedAmiId === undefined) {
      return skip(
        'NO_APPROVED_AMI',
        'the approved AMI parameter has no readable value: nothing to roll back to',
        amiId,
      );
    }
    if (input.approvedAmiId === amiId)
      return { action: 'NOTHING_NEW', amiId, reason: `${amiId} is already the approved AMI` };
  } else {
    if (input.historyAmiIds.includes(amiId))
      return { action: 'NOTHING_NEW', amiId, reason: `${amiId} was already reported` };
    const known = input.fleetAmiIds.filter((id): id is string => id !== undefined);
    if (known.length > 0 && known.length === input.fleetAmiIds.length && known.every((id) => id === amiId)) {
      return { action: 'NOTHING_NEW', amiId, reason: `every instance already runs ${amiId}` };
    }
  }

  if (input.denyList.includes(amiId)) return skip('DENIED', `${amiId} is on the deny list (rolled back before)`, amiId);
  if (mode === 'auto' && input.historyAmiIds.includes(amiId)) {
    return skip(
      'ALREADY_PROMOTED',
      `${amiId} was promoted before; the watcher never promotes the same AMI twice`,
      amiId,
    );
  }
  if (input.pause.paused) return skip('PAUSED', input.pause.reason ?? 'the pause switch is on', amiId);

  if (mode === 'auto') {
    if (input.rollback) {
      return skip(
        'ROLLBACK_IN_PROGRESS',
        `rollback of ${input.rollback.failedAmiId} in progress: ${input.rollback.remaining} instance(s) still run it`,
        amiId,
      );
    }
    if (input.heldAmiId) {
      return skip('HELD', `the rollout of ${input.heldAmiId} is held for an operator`, amiId);
    }
    if (input.pendingAmiId) {
      return skip(
        'PROMOTION_PENDING',
        `promotion of ${input.pendingAmiId} is waiting for its instance refresh to start`,
        amiId,
      );
    }
    if (input.activeRefresh) {
      return skip(
        'REFRESH_IN_PROGRESS',
        `instance refresh ${input.activeRefresh.id} is ${input.activeRefresh.status}`,
        amiId,
      );
    }
  }

  const facts = candidate.facts;
  if (facts === undefined) return skip('IMAGE_NOT_FOUND', `EC2 DescribeImages does not return ${amiId}`, amiId);
  if (input.minAmiAgeHours > 0) {
    if (facts.creationDate === undefined) {
      return skip(
        'UNKNOWN_AGE',
        `${amiId} has no creation date; minimum age ${formatHours(input.minAmiAgeHours)}`,
        amiId,
      );
    }
    const ageMs = input.now.getTime() - facts.creationDate.getTime();
    if (ageMs < input.minAmiAgeHours * HOUR_MS) {
      return skip(
        'TOO_NEW',
        `AMI ${amiId} is ${formatAge(ageMs)} old; minimum age ${formatHours(input.minAmiAgeHours)}`,
        amiId,
      );
    }
  }

  if (mode === 'gitops') {
    const older = input.fleetAmiIds.filter((id) => id !== amiId).length;
    return {
      action: 'REPORT_ONLY',
      amiId,
      instancesOnOlderAmis: older,
      reason: `new AMI ${amiId}; ${older} instance(s) run older AMIs`,
    };
  }
  if (!inMaintenanceWindow(input.maintenanceWindows, input.now)) {
    return skip(
      'OUTSIDE_WINDOW',
      `outside the maintenance windows (${describeWindows(input.maintenanceWindows)})`,
      amiId,
    );
  }
  return { action: 'PROMOTE', amiId, reason: `promote ${amiId} (replacing ${input.approvedAmiId})` };
}
