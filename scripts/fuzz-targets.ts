/**
 * Test files per `npm run fuzz` target: the fuzz suite of each handler, and the suites with fast-check properties over
 * decision functions. Every test file that runs a fast-check property belongs to one target
 * (__tests__/scripts/fuzz-targets.test.ts keeps this list complete when suites are added or renamed).
 */
export const FUZZ_TARGETS: Readonly<Record<string, readonly string[]>> = {
  gates: ['__tests__/fuzz/gates.fuzz.test.ts'],
  watcher: ['__tests__/fuzz/watcher.fuzz.test.ts'],
  monitor: ['__tests__/fuzz/monitor.fuzz.test.ts'],
  cli: ['__tests__/fuzz/plan-summary.fuzz.test.ts'],
  decisions: [
    '__tests__/lambdas/gates/launch-decision.test.ts',
    '__tests__/lambdas/gates/drain-decision.test.ts',
    '__tests__/lambdas/shared/service-headroom.test.ts',
    '__tests__/lambdas/watcher/promotion-decision.test.ts',
  ],
};
