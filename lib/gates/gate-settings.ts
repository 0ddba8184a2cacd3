import { Token } from 'cdktf';
import { invalid } from '../validation';
import { isEventBridgeSchedule, SETTING_RULES } from '../setting-rules';

/** Defaults of the gates, defined once. */
export const GATE_DEFAULTS = {
  joinDeadlineSeconds: 600,
  maxDrainSeconds: 3600,
  standaloneTaskGraceSeconds: 300,
  requireHealthyInstance: true,
  verifyAmi: false,
  sweepSchedule: 'rate(1 minute)',
} as const;

/** Gate settings with defaults applied. */
export interface GateSettings {
  readonly joinDeadlineSeconds: number;
  readonly maxDrainSeconds: number;
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
    standaloneTaskGraceSeconds: props.standaloneTaskGraceSeconds ?? GATE_DEFAULTS.standaloneTaskGraceSeconds,
    requireHealthyInstance: props.requireHealthyInstance ?? GATE_DEFAULTS.requireHealthyInstance,
    verifyAmi: props.verifyAmi ?? GATE_DEFAULTS.verifyAmi,
    sweepSchedule: props.sweepSchedule ?? GATE_DEFAULTS.sweepSchedule,
  };
}

const UNIT_SECONDS: Record<string, number> = {
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86400,
  days: 86400,
};

/**
 * Checks a `rate(...)` or `cron(...)` expression and returns the period of a rate in seconds (undefined for cron and
 * tokens). EventBridge rates are whole minutes at least.
 */
export function validateSweepSchedule(expression: string, prop = 'LifecycleGates.sweepSchedule'): number | undefined {
  if (Token.isUnresolved(expression)) return undefined;
  if (expression.startsWith('cron(') && isEventBridgeSchedule(expression)) return undefined;
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) {
    invalid(prop, expression, SETTING_RULES.sweep_schedule.reason, SETTING_RULES.sweep_schedule.fix);
  }
  const value = Number(match[1]);
  const plural = match[2].endsWith('s');
  if (value < 1 || plural === (value === 1)) {
    invalid(
      prop,
      expression,
      'must use the singular unit for 1 and the plural otherwise, with a value ≥ 1',
      'write e.g. "rate(1 minute)" or "rate(2 minutes)"',
    );
  }
  return value * UNIT_SECONDS[match[2]];
}
