/**
 * Deadline-aware processing: a gate run takes its instances in chunks, oldest wait first, and each chunk is read,
 * decided and acted on (completed) before the next one is loaded. It stops loading once the invocation is close to
 * its timeout, so a sweep never runs into the function timeout (work half done, nothing completed) and never overlaps
 * the next sweep; what it did not reach waits for the next trigger, logged as DEFERRED.
 */
import { chunk } from '../shared/collections';
import { InstanceCheck } from './checks';
import { GateDeps } from './deps';
import { GateKind } from './events';
import { GateOutcome, logDecision, outcomeOf } from './outcome';

/** Instances per chunk: one DescribeContainerInstances call (at most 100 per call) serves a chunk. */
export const CHECKS_PER_CHUNK = 100;
/** No new chunk starts with less time left than this (one chunk's reads and writes, with margin). */
export const STOP_LOADING_MS = 15_000;

/** Time left in the invocation (Lambda's context.getRemainingTimeInMillis). */
export interface RunBudget {
  remainingMs(): number;
}

export const UNBOUNDED: RunBudget = { remainingMs: () => Number.POSITIVE_INFINITY };

export async function inChunks(
  checks: readonly InstanceCheck[],
  deps: GateDeps,
  gate: GateKind,
  budget: RunBudget,
  run: (part: readonly InstanceCheck[]) => Promise<GateOutcome[]>,
): Promise<GateOutcome[]> {
  const outcomes: GateOutcome[] = [];
  const parts = chunk(checks, CHECKS_PER_CHUNK);
  for (const [index, part] of parts.entries()) {
    if (budget.remainingMs() < STOP_LOADING_MS) {
      const left = parts.slice(index).flat();
      for (const check of left) {
        const outcome = outcomeOf(check, 'DEFERRED', 'invocation near its timeout: the next trigger checks it', []);
        logDecision(deps, gate, 'info', outcome);
        outcomes.push(outcome);
      }
      break;
    }
    outcomes.push(...(await run(part)));
  }
  return outcomes;
}
