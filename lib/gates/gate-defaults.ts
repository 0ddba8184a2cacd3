/**
 * Defaults of the lifecycle gates, defined once: the construct applies them (gate-settings.ts), the module renders
 * them, and the gate Lambdas' config falls back to them (lambdas/shared/config.ts). No cdktf import, so the Lambdas
 * can bundle it.
 */
export const GATE_DEFAULTS = {
  joinDeadlineSeconds: 600,
  /** A drain still waiting after this long is reported and held (never forced unless forceDrainAfterSeconds is set). */
  maxDrainSeconds: 3600,
  standaloneTaskGraceSeconds: 300,
  requireHealthyInstance: true,
  verifyAmi: false,
  sweepSchedule: 'rate(1 minute)',
} as const;

/** Timeout of both gate functions: a sweep stops loading instances well before it (lambdas/gates/run-budget.ts). */
export const GATE_TIMEOUT_SECONDS = 60;
