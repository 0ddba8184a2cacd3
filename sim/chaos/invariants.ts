/** Invariants every chaos run must satisfy, and the summary over many runs. */
import type { RunResult } from '../run';

export function violations(result: RunResult): string[] {
  const broken: string[] = [];
  if (result.undrainedTaskStops > 0)
    broken.push(
      `${result.undrainedTaskStops} service task(s) stopped without ` +
        `a drain: ${result.undrainedDetails.slice(0, 3).join('; ')}`,
    );
  if (result.unhandledErrors.length > 0)
    broken.push(`unhandled errors: ${result.unhandledErrors.slice(0, 3).join(' | ')}`);
  if (result.unsupportedCommands.length > 0)
    broken.push(`unsupported commands: ${result.unsupportedCommands.join(', ')}`);
  if (result.hooksHitGlobalTimeout > 0)
    broken.push(`${result.hooksHitGlobalTimeout} lifecycle action(s) ran into the global timeout`);
  if (result.forcedDrains > 0) broken.push(`${result.forcedDrains} drain(s) forced (forcing is an opt-in)`);
  if (!result.completed && !result.failedSafe && !result.heldForOperator) {
    broken.push(
      result.failed
        ? 'rollout failed without settling safely'
        : `rollout neither completed nor failed after ${result.simulatedSeconds} s`,
    );
  }
  return broken;
}

export interface ChaosSummary {
  runs: number;
  rolloutsCompleted: number;
  /** Refused or cancelled before a termination, or failed and settled; operators notified. */
  rolloutsFailedSafe: number;
  /** Held at a gate (a service without headroom), with a notification: the operator decides. */
  heldForOperator: number;
  undrainedServiceTaskStops: number;
  unhandledErrors: number;
  hooksHitGlobalTimeout: number;
  maxHookLatencyS: number;
  /** Drains the gate ended with work on the instance (only with the opt-in forceDrainAfterSeconds: must be 0). */
  forcedDrains: number;
  failingSeeds: number[];
}

export function emptySummary(): ChaosSummary {
  return {
    runs: 0,
    rolloutsCompleted: 0,
    rolloutsFailedSafe: 0,
    heldForOperator: 0,
    undrainedServiceTaskStops: 0,
    unhandledErrors: 0,
    hooksHitGlobalTimeout: 0,
    maxHookLatencyS: 0,
    forcedDrains: 0,
    failingSeeds: [],
  };
}

export function addRun(summary: ChaosSummary, result: RunResult): string[] {
  summary.runs++;
  if (result.completed) summary.rolloutsCompleted++;
  else if (result.failedSafe) summary.rolloutsFailedSafe++;
  else if (result.heldForOperator) summary.heldForOperator++;
  summary.undrainedServiceTaskStops += result.undrainedTaskStops;
  summary.unhandledErrors += result.unhandledErrors.length;
  summary.hooksHitGlobalTimeout += result.hooksHitGlobalTimeout;
  summary.forcedDrains += result.forcedDrains;
  summary.maxHookLatencyS = Math.max(summary.maxHookLatencyS, result.maxHookLatencyS ?? 0);
  const broken = violations(result);
  if (broken.length > 0) summary.failingSeeds.push(result.seed);
  return broken;
}
