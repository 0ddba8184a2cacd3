/**
 * Instance refresh outcome → what the watcher does. Pure. Used for the Auto Scaling refresh events and, because events
 * are best effort, by the scheduled sweep for the last refresh the watcher started (status from
 * DescribeInstanceRefreshes), so a lost Failed event still ends in a rollback.
 *
 * - Started / Checkpoint Reached / Succeeded / Rollback* → NOTIFY.
 * - Failed / Cancelled, auto mode, a refresh the watcher started (its recorded refresh id, or — when the id was never
 *   recorded — the pending promotion whose AMI the approved parameter holds) and the approved parameter still holds
 *   the failed AMI → ROLLBACK (restore previous, deny the failed AMI, replace its instances).
 * - The approved parameter no longer holds the failed AMI → ALREADY_HANDLED (duplicate event, or an operator acted).
 * - gitops mode, or a refresh someone else started → NOTIFY only (Auto Scaling's auto rollback is Terraform's job).
 */
import type { NotificationKind, NotificationSeverity } from '../shared/notifier';
import type { AmiMode } from './promotion-policy';
import type { GroupState } from './state';
import { isAmiId } from './types';

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
}

export interface NotifySpec {
  readonly kind: NotificationKind;
  readonly severity: NotificationSeverity;
  readonly title: string;
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
  | { readonly action: 'NOTIFY'; readonly reason: string; readonly notify: NotifySpec; readonly outcome?: string }
  | { readonly action: 'ALREADY_HANDLED'; readonly reason: string };

/**
 * The watcher's record of this refresh: its id, or the pending promotion it was started for before the id was saved.
 */
function ownRecord(input: RefreshEventInput): { amiId: string; previousAmiId: string } | undefined {
  const { state, refreshId } = input;
  if (state.refresh?.id === refreshId) return state.refresh;
  if (state.pending && input.approvedAmiId === state.pending.amiId) return state.pending;
  return undefined;
}

export function decideRefreshEvent(input: RefreshEventInput): RefreshEventDecision {
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

function decideFailure(input: RefreshEventInput): RefreshEventDecision {
  const id = input.refreshId;
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
  if (input.approvedAmiId !== own.amiId) {
    return {
      action: 'ALREADY_HANDLED',
      reason: `the approved parameter holds ${input.approvedAmiId ?? 'nothing'}, not ${own.amiId}: already rolled back`,
    };
  }
  const restoreAmiId = [own.previousAmiId, input.previousAmiId].find((ami) => isAmiId(ami) && ami !== own.amiId);
  if (restoreAmiId === undefined) {
    return {
      action: 'CANNOT_ROLLBACK',
      failedAmiId: own.amiId,
      reason: `no previous AMI different from ${own.amiId} is recorded`,
      notify: {
        kind: 'refresh.failed',
        severity: 'critical',
        title: `Instance refresh ${verb}; no previous AMI to roll back to: manual action needed`,
      },
    };
  }
  return {
    action: 'ROLLBACK',
    refreshId: id,
    failedAmiId: own.amiId,
    restoreAmiId,
    reason: `refresh ${verb}: restore ${restoreAmiId}, deny ${own.amiId}`,
    notify: {
      kind: 'refresh.rolledBack',
      severity: 'critical',
      title: `Instance refresh ${verb}: rolling back ${own.amiId} → ${restoreAmiId}`,
    },
  };
}
