/**
 * The two gates' handler factories. The Lambda entries (launch-gate.ts, drain-gate.ts) call them with the production
 * deps at module load; tests, the fuzzers and the simulator call them with their own deps.
 */
import { type GateDeps } from './deps';
import { runDrainGate } from './drain-runner';
import { type GateHandler, createGateHandler } from './handler';
import { runLaunchGate } from './launch-runner';

/** Launch gate: Pending:Wait → CONTINUE once the instance joined the cluster healthy, or ABANDON. */
export function createLaunchGateHandler(deps: GateDeps): GateHandler {
  return createGateHandler('launch', deps, runLaunchGate);
}

/** Drain gate: Terminating:Wait → CONTINUE once the instance's tasks moved and its services are stable. */
export function createDrainGateHandler(deps: GateDeps): GateHandler {
  return createGateHandler('drain', deps, runDrainGate);
}
