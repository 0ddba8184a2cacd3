/** Per-node-group outcome of a watcher run, and the helpers every path uses (one structured log line per decision). */
import { RetryLaterError, errorMessage, errorName } from '../shared/aws-errors';
import type { WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import type { WatcherTrigger } from './events';

export interface GroupOutcome {
  readonly nodeGroup: string;
  readonly mode: 'auto' | 'gitops';
  /** PROMOTE / REPORT_ONLY / SKIP / NOTHING_NEW / ROLLBACK / NOTIFY / ALREADY_HANDLED / RETRY_LATER / ERROR … */
  readonly decision: string;
  readonly reason: string;
  readonly amiId?: string;
  /** AWS writes performed, e.g. `PutParameter:/ecs/prod/general/approved-ami=ami-…`, `StartInstanceRefresh:<id>`. */
  readonly actions: readonly string[];
}

export function logOutcome(
  deps: WatcherDeps,
  trigger: WatcherTrigger['kind'],
  outcome: GroupOutcome,
  extra: Record<string, unknown> = {},
): void {
  const level = outcome.decision === 'ERROR' ? 'error' : outcome.decision === 'RETRY_LATER' ? 'warn' : 'info';
  deps.logger[level]('ami watcher decision', { trigger, ...outcome, ...extra });
}

/**
 * Evaluates node groups one by one. Throttling ends that group's evaluation as RETRY_LATER (nothing decided, the next
 * trigger re-checks); other errors are logged, the other groups still run, and an error is thrown at the end so
 * Lambda's Errors metric and async retry see it.
 */
export async function evaluateEach(
  deps: WatcherDeps,
  trigger: WatcherTrigger['kind'],
  groups: readonly WatcherNodeGroup[],
  evaluate: (group: WatcherNodeGroup) => Promise<GroupOutcome>,
): Promise<GroupOutcome[]> {
  const outcomes: GroupOutcome[] = [];
  const failures: string[] = [];
  for (const group of groups) {
    try {
      const outcome = await evaluate(group);
      logOutcome(deps, trigger, outcome);
      outcomes.push(outcome);
    } catch (error) {
      const base = { nodeGroup: group.name, mode: group.mode, actions: [] };
      const outcome: GroupOutcome =
        error instanceof RetryLaterError
          ? { ...base, decision: 'RETRY_LATER', reason: error.message }
          : { ...base, decision: 'ERROR', reason: `${errorName(error)}: ${errorMessage(error)}` };
      logOutcome(deps, trigger, outcome);
      outcomes.push(outcome);
      if (outcome.decision === 'ERROR') failures.push(`${group.name}: ${outcome.reason}`);
    }
  }
  if (failures.length > 0)
    throw new Error(
      `AMI watcher failed for ${failures.length} of ${groups.length} node group(s): ${failures.join('; ')}`,
    );
  return outcomes;
}
