import { Token } from 'cdktf';
import { ratePeriodSeconds } from '../triggers/schedule';
import { invalid } from '../validation';
import { isEventBridgeSchedule, SETTING_RULES } from '../setting-rules';
import { GATE_DEFAULTS } from './gate-defaults';

export { GATE_DEFAULTS };

/** Gate settings with defaults applied. */
export interface GateSettings {
  readonly joinDeadlineSeconds: number;
  readonly maxDrainSeconds: number;
  /** Opt-in forcing; undefined = never force a drain. */
  readonly forceDrainAfterSeconds?: number;
  readonly standaloneTaskGraceSeconds: number;
  readonly requireHealthyInstance: boolean;
  readonly verifyAmi: boolean;
  readonly sweepSchedule: string;
}

/** Applies {@link GATE_DEFAULTS}. */
export function resolveGateSettings(props: Partial<GateSettings>): GateSettings {
  return {
    joinDeadlineSeconds: props.joinDeadlineSeconds ?? GATE_DEFAULTS.joinDeadlineSeconds,
    maxDrainSeconds: props.maxDrainSeconds ?? GATE_DEFAULTS.maxDrainSeconds,
    forceDrainAfterSeconds: props.forceDrainAfterSeconds,
    standaloneTaskGraceSeconds: props.standaloneTaskGraceSeconds ?? GATE_DEFAULTS.standaloneTaskGraceSeconds,
    requireHealthyInstance: props.requireHealthyInstance ?? GATE_DEFAULTS.requireHealthyInstance,
    verifyAmi: props.verifyAmi ?? GATE_DEFAULTS.verifyAmi,
    sweepSchedule: props.sweepSchedule ?? GATE_DEFAULTS.sweepSchedule,
  };
}

/**
 * Checks a `rate(...)` or `cron(...)` expression and returns the period of a rate in seconds (undefined for cron and
 * tokens). EventBridge rates are whole minutes at least.
 */
export function validateSweepSchedule(expression: string, prop = 'LifecycleGates.sweepSchedule'): number | undefined {
  if (Token.isUnresolved(expression)) return undefined;
  if (expression.startsWith('cron(') && isEventBridgeSchedule(expression)) return undefined;
  if (!/^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.test(expression)) {
    invalid(prop, expression, SETTING_RULES.sweep_schedule.reason, SETTING_RULES.sweep_schedule.fix);
  }
  const period = ratePeriodSeconds(expression);
  if (period === undefined) {
    invalid(
      prop,
      expression,
      'must use the singular unit for 1 and the plural otherwise, with a value ≥ 1',
      'write e.g. "rate(1 minute)" or "rate(2 minutes)"',
    );
  }
  return period;
}
