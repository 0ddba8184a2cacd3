/**
 * Schedule expressions, pure: the period of a `rate(...)` expression ("Creating an Amazon EventBridge rule that runs on
 * a schedule": rate(value unit), unit minute(s) | hour(s) | day(s), singular for 1). The construct validates with
 * this, the simulator's EventBridge fires schedule rules at this period.
 */
const UNIT_SECONDS: Record<string, number> = {
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86400,
  days: 86400,
};

/** Period in seconds of a valid `rate(...)` expression; undefined for cron(...) or anything else. */
export function ratePeriodSeconds(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return undefined;
  const value = Number(match[1]);
  const plural = match[2].endsWith('s');
  if (value < 1 || plural === (value === 1)) return undefined;
  return value * UNIT_SECONDS[match[2]];
}
