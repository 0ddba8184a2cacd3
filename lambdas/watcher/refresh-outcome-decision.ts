/**
 * Instance refresh outcome → what the watcher does. Pure. Used for the Auto Scaling refresh events and, because events
 * are best effort, by the scheduled sweep for the last refresh the watcher started (status from
 * DescribeInstanceRefreshes), so a lost event is still handled.
 *
 * Whose refresh it is decides everything:
 * - the watcher's rollout (its recorded refresh id, or — when the id was never recorded — the pending promotion whose
 *   AMI the approved parameter holds), auto mode, while the approved parameter still holds its AMI:
 *   - Failed with evidence against the AMI (launches the launch gate abandoned, health-check replacements, or a failure
 *     the refresh's alarms caused) → ROLLBACK;
 *   - Cancelled by the watcher itself (deadline or evidence, recorded before it cancelled): evidence → ROLLBACK, none →
 *     HOLD for an operator;
 *   - Failed without evidence, or Cancelled by anyone else (an operator; hashicorp/aws, which cancels a running refresh
 *     when an apply changes the launch template and starts its own) → RESUME: notify, and start the promotion's refresh
 *     again once no other refresh runs (at most MAX_RESUMES times, then HOLD). Never a deny-list entry.
 * - the refresh of the watcher's own rollback → ROLLBACK_PROGRESS (rollback-decision.ts decides the next step);
 * - anyone else's refresh, and every refresh in gitops mode → NOTIFY only (Auto Scaling's auto rollback is
 *   Terraform's).
 * The approved parameter no longer holding the rollout's AMI → ALREADY_HANDLED (duplicate event, or an operator acted).
 */
import type { NotificationKind, NotificationSeverity } from '../shared/notifier';
import type { AmiMode } from './promotion-decision';
import { againstAmi, describeEvidence } from './refresh-evidence';
import type { GroupState } from './state';
import { isAmiId, type RefreshEvidence } from './types';

/** Ends without evidence after which a promotion is held for an operator instead of being started again. */
export const MAX_RESUMES = 3;

export const REFRESH_EVENT_KINDS = {
  'EC2 Auto Scaling Instance Refresh Started': 'Started',
  'EC2 Auto Scaling Instance Refresh Checkpoint Reached': 'CheckpointReached',
  'EC2 Auto Scaling Instance Refresh Succeeded': 'Succeeded',
  'EC2 Auto Scaling Instance Refresh Failed': 'Failed',
  'EC2 Auto Scaling Instance Refresh Cancelled': 'Cancelled',
  'EC2 Auto Scaling Instance Refresh Rollback Started': 'RollbackStarted',
  'EC2 Auto Scaling Instance Refresh Rollback Succeeded': 'RollbackSucceeded',
  'EC2 Auto Scaling Instance Refresh Rollback Failed': 'RollbackFailed',
} as const;

export type RefreshEventKind = (typeof REFRESH_EVENT_KINDS)[keyof typeof REFRESH_EVENT_KINDS];

/** DescribeInstanceRefreshes status of an ended refresh → the event it corresponds to (undefined: not ended). */
export function eventKindForStatus(status: string): RefreshEventKind | undefined {
  const map: Record<string, RefreshEventKind> = {
    Successful: 'Succeeded',
    Failed: 'Failed',
    Cancelled: 'Cancelled',
    RollbackSuccessful: 'RollbackSucceeded',
    RollbackFailed: 'RollbackFailed',
  };
  return map[status];
}

export interface RefreshEventInput {
  readonly kind: RefreshEventKind;
  readonly refreshId: string;
  readonly mode: AmiMode;
  readonly state: GroupState;
  /** auto: current value of the approved parameter. */
  readonly approvedAmiId?: string;
  /** auto: current value of the previous parameter (fallback rollback target). */
  readonly previousAmiId?: string;
  readonly checkpoint?: { readonly percentage?: string; readonly delaySeconds?: string };
  /** Failed / Cancelled of the watcher's rollout: what the scaling activities since it started say. */
  readonly evidence?: RefreshEvidence;
  /** DescribeInstanceRefreshes StatusReason (a failure caused by the refresh's alarms names them). */
  readonly statusReason?: string;
}

export interface NotifySpec {
  readonly kind: NotificationKind;
  readonly severity: NotificationSeverity;
  readonly title: string;
}

/** The rollout a RESUME / HOLD is about. */
interface PromotionRef {
  readonly amiId: string;
  readonly previousAmiId: string;
}

export type RefreshEventDecision =
  | {
      readonly action: 'ROLLBACK';
      readonly refreshId: string;
      readonly failedAmiId: string;
      readonly restoreAmiId: string;
      readonly reason: string;
      readonly notify: NotifySpec;
    }
  | {
      readonly action: 'CANNOT_ROLLBACK';
      readonly failedAmiId: string;
      readonly reason: string;
      readonly notify: NotifySpec;
    }
  | (PromotionRef & {
      readonly action: 'RESUME';
      readonly resumed: number;
      readonly reason: string;
      readonly notify: NotifySpec;
    })
  | (PromotionRef & { readonly action: 'HOLD'; readonly reason: string; readonly notify: NotifySpec })
  | { readonly action: 'ROLLBACK_PROGRESS'; readonly reason: string }
  | { readonly action: 'NOTIFY'; readonly reason: string; readonly notify: NotifySpec; readonly outcome?: string }
  | { readonly action: 'ALREADY_HANDLED'; readonly reason: string };

/** The watcher's record of this refresh: its id, or the pending promotion it was started for (id never saved). */
function ownRecord(input: RefreshEventInput): PromotionRef | undefined {
  const { state, refreshId } = input;
  if (state.refresh?.id === refreshId) return state.refresh;
  if (state.pending && !state.pending.resumed && input.approvedAmiId === state.pending.amiId) return state.pending;
  return undefined;
}

/** Who started the refresh: the watcher (its rollout or its rollback) or someone else (Terraform, an operator). */
export function refreshOwner(input: Omit<RefreshEventInput, 'evidence'>): 'rollout' | 'rollback' | 'other' {
  if (input.mode === 'auto' && input.state.rollback?.replaceRefreshId === input.refreshId) return 'rollback';
  if (input.mode === 'auto' && ownRecord(input) !== undefined) return 'rollout';
  return 'other';
}

/** True when the runner must read the scaling activities before deciding (Failed / Cancelled of the own rollout). */
export function needsEvidence(input: Omit<RefreshEventInput, 'evidence'>): boolean {
  if (input.mode !== 'auto' || (input.kind !== 'Failed' && input.kind !== 'Cancelled')) return false;
  const own = ownRecord(input);
  return own !== undefined && input.approvedAmiId === own.amiId;
}

export function decideRefreshEvent(input: RefreshEventInput): RefreshEventDecision {
  const rollback = input.state.rollback;
  if (input.mode === 'auto' && rollback?.replaceRefreshId === input.refreshId && isEnd(input.kind)) {
    return {
      action: 'ROLLBACK_PROGRESS',
      reason: `the rollback's refresh ${input.kind === 'Succeeded' ? 'succeeded' : `ended ${input.kind}`}`,
    };
  }
  switch (input.kind) {
    case 'Started':
      return {
        action: 'NOTIFY',
        reason: 'refresh started',
        notify: { kind: 'refresh.started', severity: 'info', title: 'Instance refresh started' },
      };
    case 'CheckpointReached': {
      const pct = input.checkpoint?.percentage ?? '?';
      const title = `Instance refresh reached its ${pct}% checkpoint`;
      return {
        action: 'NOTIFY',
        reason: 'checkpoint reached',
        notify: { kind: 'refresh.checkpoint', severity: 'info', title },
      };
    }
    case 'Succeeded':
      return {
        action: 'NOTIFY',
        reason: 'refresh succeeded',
        outcome: 'Successful',
        notify: { kind: 'refresh.succeeded', severity: 'info', title: 'Instance refresh succeeded' },
      };
    case 'RollbackStarted':
      return {
        action: 'NOTIFY',
        reason: 'Auto Scaling rollback started',
        notify: {
          kind: 'refresh.failed',
          severity: 'warning',
          title: 'Instance refresh is being rolled back by Auto Scaling',
        },
      };
    case 'RollbackSucceeded':
      return {
        action: 'NOTIFY',
        reason: 'Auto Scaling rollback succeeded',
        outcome: 'RollbackSuccessful',
        notify: {
          kind: 'refresh.rolledBack',
          severity: 'warning',
          title: 'Instance refresh was rolled back by Auto Scaling',
        },
      };
    case 'RollbackFailed':
      return {
        action: 'NOTIFY',
        reason: 'Auto Scaling rollback failed',
        outcome: 'RollbackFailed',
        notify: {
          kind: 'refresh.failed',
          severity: 'critical',
          title: 'Auto Scaling rollback of the instance refresh failed: manual action needed',
        },
      };
    case 'Failed':
    case 'Cancelled':
      return decideFailure(input);
  }
}

function isEnd(kind: RefreshEventKind): boolean {
  return kind === 'Succeeded' || kind === 'Failed' || kind === 'Cancelled';
}

function decideFailure(input: RefreshEventInput): RefreshEventDecision {
  const verb = input.kind === 'Failed' ? 'failed' : 'was cancelled';
  if (input.mode === 'gitops') {
    return {
      action: 'NOTIFY',
      reason: 'gitops: Auto Scaling auto rollback restores the previous launch template',
      outcome: input.kind,
      notify: {
        kind: 'refresh.failed',
        severity: 'warning',
        title: `Instance refresh ${verb} (gitops: Auto Scaling rolls back)`,
      },
    };
  }
  const own = ownRecord(input);
  if (own === undefined) {
    return {
      action: 'NOTIFY',
      reason: 'not a refresh the watcher started: no rollback',
      notify: {
        kind: 'refresh.failed',
        severity: 'warning',
        title: `Instance refresh ${verb} (not started by the AMI watcher: no rollback)`,
      },
    };
  }
  if (input.approvedAmiId !== own.amiId || input.state.rollback?.failedAmiId === own.amiId) {
    // Also while SSM still validates the restore: the rollback record says it is handled.
    return {
      action: 'ALREADY_HANDLED',
      reason: `the approved parameter holds ${input.approvedAmiId ?? 'nothing'}, not ${own.amiId}: already rolled back`,
    };
  }
  const evidence = input.evidence;
  const alarm = input.kind === 'Failed' && /alarm/i.test(input.statusReason ?? '');
  const proven = alarm || (evidence !== undefined && againstAmi(evidence));
  const why = alarm ? `an alarm of the refresh fired (${input.statusReason})` : describeEvidence(evidence ?? NONE);
  const cancelledByUs =
    input.kind === 'Cancelled' && input.state.refresh?.id === input.refreshId && input.state.refresh.cancel;
  if (proven && (input.kind === 'Failed' || cancelledByUs)) return rollback(input, own, verb, why);
  if (cancelledByUs) {
    return hold(
      own,
      `cancelled at its ${cancelledByUs.reason === 'deadline' ? 'deadline' : 'evidence threshold'} ` +
        `with no evidence against ${own.amiId} (${why})`,
    );
  }
  const resumed = (input.state.refresh?.id === input.refreshId ? (input.state.refresh.resumed ?? 0) : 0) + 1;
  const cause =
    input.kind === 'Failed'
      ? `failed without evidence against ${own.amiId} (${input.statusReason ?? 'no reason given'}; ${why})`
      : `was cancelled outside the watcher (an operator, or Terraform before it starts its own refresh)`;
  if (resumed > MAX_RESUMES) return hold(own, `${cause}, ${resumed} times`);
  return {
    action: 'RESUME',
    amiId: own.amiId,
    previousAmiId: own.previousAmiId,
    resumed,
    reason: `refresh ${cause}: ${own.amiId} stays approved; its refresh starts again once no other refresh runs`,
    notify: {
      kind: 'refresh.failed',
      severity: 'warning',
      title: `Instance refresh ${cause}: ${own.amiId} stays approved and is rolled out again (attempt ${resumed + 1})`,
    },
  };
}

const NONE: RefreshEvidence = { abandonedLaunches: 0, failedLaunches: 0, healthReplacements: 0 };

function hold(own: PromotionRef, why: string): RefreshEventDecision {
  return {
    action: 'HOLD',
    amiId: own.amiId,
    previousAmiId: own.previousAmiId,
    reason: `refresh ${why}: promotion held`,
    notify: {
      kind: 'refresh.failed',
      severity: 'critical',
      title: `Rollout of ${own.amiId} held for an operator: refresh ${why}. Turn the pause switch on and off to resume`,
    },
  };
}

function rollback(input: RefreshEventInput, own: PromotionRef, verb: string, why: string): RefreshEventDecision {
  const restoreAmiId = [own.previousAmiId, input.previousAmiId].find((ami) => isAmiId(ami) && ami !== own.amiId);
  if (restoreAmiId === undefined) {
    return {
      action: 'CANNOT_ROLLBACK',
      failedAmiId: own.amiId,
      reason: `${why}; no previous AMI different from ${own.amiId} is recorded`,
      notify: {
        kind: 'refresh.failed',
        severity: 'critical',
        title: `Instance refresh ${verb}; no previous AMI to roll back to: manual action needed`,
      },
    };
  }
  return {
    action: 'ROLLBACK',
    refreshId: input.refreshId,
    failedAmiId: own.amiId,
    restoreAmiId,
    reason: `refresh ${verb} (${why}): restore ${restoreAmiId}, deny ${own.amiId}`,
    notify: {
      kind: 'refresh.rolledBack',
      severity: 'critical',
      title: `Instance refresh ${verb}: rolling back ${own.amiId} → ${restoreAmiId} (${why})`,
    },
  };
}
