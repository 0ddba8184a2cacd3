/**
 * The watcher's own rollout refresh while it runs: keep waiting, or cancel it. Pure. Evaluated on every "EC2 Instance
 * Launch Unsuccessful" event of the group and on every scheduled sweep.
 *
 * - Auto Scaling documents no number of failed launches after which a refresh fails ("might fail for several reasons,
 *   such as EC2 launch failures", StartInstanceRefresh API reference), and a replacement the launch gate abandons is
 *   simply launched again — possibly forever. So the watcher counts the launches of the new AMI the gate abandoned
 *   since the refresh started; at `abandonedLaunchesToRollBack` it cancels (reason `evidence`) and rolls back once the
 *   refresh is Cancelled (refresh-outcome-decision.ts).
 * - A refresh still running past its deadline (lib/refresh/refresh-preferences.ts: per batch one launch-hook timeout,
 *   the warm-up and one terminate-hook timeout, plus checkpoints and slack) is stuck: cancel (reason `deadline`), then
 *   decide from the evidence — roll back when there is some, hold for an operator when there is none.
 * - Once cancelling, nothing more: Auto Scaling finishes the cancellation and emits "Instance Refresh Cancelled".
 */
import type { GroupState } from './state';
import type { RefreshEvidence, RefreshView } from './types';

export interface RunningRefreshInput {
  readonly refresh: NonNullable<GroupState['refresh']>;
  /** DescribeInstanceRefreshes of that refresh (active). */
  readonly view: RefreshView;
  readonly evidence: RefreshEvidence;
  readonly now: Date;
  readonly deadlineSeconds: number;
  /** 0 = never cancel on evidence alone. */
  readonly abandonedLaunchesToRollBack: number;
}

export type RunningRefreshDecision =
  | { readonly action: 'CANCEL'; readonly reason: 'evidence' | 'deadline'; readonly why: string }
  /** The cancel is recorded but Auto Scaling has not taken it (the call was throttled or failed after the write). */
  | { readonly action: 'RESEND_CANCEL'; readonly reason: 'evidence' | 'deadline'; readonly why: string }
  | { readonly action: 'WAIT'; readonly why: string };

export function refreshStart(input: Pick<RunningRefreshInput, 'refresh' | 'view'>): Date {
  return input.view.startTime ?? new Date(input.refresh.startedAt);
}

/**
 * The part of the decision that needs neither evidence nor deadline: a refresh Auto Scaling is cancelling, or one whose
 * cancel is already recorded. undefined: neither (decide with {@link decideRunningRefresh}). The runner asks this first
 * so that a resend costs no DescribeScalingActivities or DescribeAutoScalingGroups call.
 */
export function decideCancelInProgress(
  input: Pick<RunningRefreshInput, 'refresh' | 'view'>,
): RunningRefreshDecision | undefined {
  const { refresh, view } = input;
  if (view.status === 'Cancelling') return { action: 'WAIT', why: 'Auto Scaling is cancelling it' };
  if (refresh.cancel) {
    // Still running although the cancel was recorded: CancelInstanceRefresh never reached Auto Scaling (throttled, or
    // the invocation ended between the state write and the call). Found by sim:release, stuck-refresh@100 seed 1:
    // waiting here kept a stuck refresh running for 9 h. Sending it again is safe: a refresh already cancelling shows
    // status Cancelling, and one that ended answers ActiveInstanceRefreshNotFound.
    return {
      action: 'RESEND_CANCEL',
      reason: refresh.cancel.reason,
      why: `cancel requested at ${refresh.cancel.at} (${refresh.cancel.reason}) not taken yet (${view.status})`,
    };
  }
  return undefined;
}

export function decideRunningRefresh(input: RunningRefreshInput): RunningRefreshDecision {
  const inProgress = decideCancelInProgress(input);
  if (inProgress) return inProgress;
  const { refresh, view, evidence } = input;
  const threshold = input.abandonedLaunchesToRollBack;
  if (threshold > 0 && evidence.abandonedLaunches >= threshold) {
    return {
      action: 'CANCEL',
      reason: 'evidence',
      why:
        `the launch gate abandoned ${evidence.abandonedLaunches} launch(es) of ${refresh.amiId} ` +
        `(threshold ${threshold})`,
    };
  }
  const runningSeconds = Math.floor((input.now.getTime() - refreshStart(input).getTime()) / 1000);
  if (runningSeconds > input.deadlineSeconds) {
    return {
      action: 'CANCEL',
      reason: 'deadline',
      why: `running for ${runningSeconds} s, past its deadline of ${input.deadlineSeconds} s`,
    };
  }
  return {
    action: 'WAIT',
    why:
      `${view.status} for ${runningSeconds} s of ${input.deadlineSeconds} s; ` +
      `${evidence.abandonedLaunches} abandoned launch(es)`,
  };
}
