/**
 * Rules of single settings (cluster, gates, watcher, monitor, notifications), once: the construct checks them with
 * {@link checkSetting}, the plain module renders them as `validation` blocks of the variable of the same name. Limits
 * and wording live only here.
 */
import { LOG_RETENTION_DAYS } from './function/props';
import { hclIntRange, hclOneOf, inIntRange, intRangeReason, moduleMessage, oneOfReason } from './rules';
import { invalid, isUncheckable } from './validation';

export interface SettingRule {
  /** Module variable name. */
  readonly variable: string;
  /** HCL condition, true when valid, over the value expression `x` (never null: null passes). */
  readonly hcl: (x: string) => string;
  /** True when valid (called with values known at synth time only). */
  readonly valid: (value: never) => boolean;
  readonly reason: string;
  readonly fix: string;
}

const intSetting = (variable: string, min: number, max: number, fix: string): SettingRule => ({
  variable,
  hcl: (x) => hclIntRange(x, min, max),
  valid: (v: number) => inIntRange(v, min, max),
  reason: intRangeReason(min, max),
  fix,
});

const oneOf = (variable: string, values: readonly string[], fix: string): SettingRule => ({
  variable,
  hcl: (x) => hclOneOf(x, values),
  valid: (v: string) => values.includes(v),
  reason: oneOfReason(values),
  fix,
});

const RATE = '^rate\\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\\)$';

/**
 * An EventBridge schedule: `rate(value unit)` (singular unit for 1) or a six-field `cron(...)` where exactly one of
 * day-of-month and day-of-week is `?`. "Schedule expressions for rules", Amazon EventBridge User Guide,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
export function isEventBridgeSchedule(expression: string): boolean {
  if (new RegExp(RATE).test(expression)) return true;
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  return cron !== null && (cron[3] === '?') !== (cron[5] === '?');
}

const scheduleHcl = (x: string) => {
  const fields = `split(" ", trimsuffix(trimprefix(${x}, "cron("), ")"))`;
  const cron = `can(regex("^cron\\\\(\\\\S+ \\\\S+ \\\\S+ \\\\S+ \\\\S+ \\\\S+\\\\)$", ${x}))`;
  const oneQuestionMark = `(${fields}[2] == "?") != (${fields}[4] == "?")`;
  return `can(regex("${RATE.replace(/\\/g, '\\\\')}", ${x})) || (${cron} ? ${oneQuestionMark} : false)`;
};

/** A schedule setting. */
export const scheduleSetting = (variable: string): SettingRule => ({
  variable,
  hcl: scheduleHcl,
  valid: (v: string) => isEventBridgeSchedule(v),
  reason:
    'must be an EventBridge schedule such as "rate(1 minute)", "rate(5 minutes)" or "cron(0 3 ? * MON-FRI *)" ' +
    '(six cron fields, "?" in exactly one of day-of-month and day-of-week)',
  fix: 'fix the expression',
});

/** Every setting rule, by module variable name. */
export const SETTING_RULES = {
  cluster_name: {
    variable: 'cluster_name',
    hcl: (x: string) => `can(regex("^[a-zA-Z0-9_-]{1,255}$", ${x}))`,
    valid: (v: string) => /^[a-zA-Z0-9_-]{1,255}$/.test(v),
    reason: 'may only contain letters, digits, hyphens and underscores (1–255 characters)',
    fix: 'use a name such as "prod-web"',
  },
  name_prefix: {
    variable: 'name_prefix',
    hcl: (x: string) => `can(regex("^[a-zA-Z0-9_-]{1,32}$", ${x}))`,
    valid: (v: string) => /^[a-zA-Z0-9_-]{1,32}$/.test(v),
    reason:
      'must be 1–32 letters, digits, hyphens or underscores (it starts the names of the functions, queues and rules)',
    fix: 'set a shorter name prefix (by default the cluster name is used)',
  },
  container_insights: oneOf(
    'container_insights',
    ['enabled', 'disabled', 'enhanced'],
    'use "enabled", "enhanced" or "disabled"',
  ),
  ami_mode: oneOf('ami_mode', ['auto', 'gitops'], 'use "auto" (watcher) or "gitops" (Terraform)'),
  drain_owner: oneOf('drain_owner', ['lambda', 'ecs'], 'use "lambda" (drain gate) or "ecs" (managed draining)'),
  join_deadline_seconds: intSetting('join_deadline_seconds', 60, 7200, 'use 60–7200 s (default 600)'),
  max_drain_seconds: intSetting('max_drain_seconds', 60, 172800, 'use 60–172800 s (default 3600)'),
  force_drain_after_seconds: intSetting(
    'force_drain_after_seconds',
    60,
    172800,
    'use 60–172800 s, or leave it unset (a drain that cannot finish is held, never forced)',
  ),
  standalone_task_grace_seconds: intSetting(
    'standalone_task_grace_seconds',
    0,
    172800,
    'use 0 (never stop) up to 172800 s',
  ),
  sweep_schedule: scheduleSetting('sweep_schedule'),
  ami_watcher_schedule: scheduleSetting('ami_watcher_schedule'),
  agent_monitor_schedule: scheduleSetting('agent_monitor_schedule'),
  min_ami_age_hours: intSetting('min_ami_age_hours', 0, 720, 'use 0 (promote at once) to 720 hours'),
  log_retention_days: {
    variable: 'log_retention_days',
    hcl: (x: string) => `contains([${LOG_RETENTION_DAYS.join(', ')}], ${x})`,
    valid: (v: number) => (LOG_RETENTION_DAYS as readonly number[]).includes(v),
    reason: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    fix: 'pick the nearest value CloudWatch Logs accepts',
  },
  notification_topic_arn: {
    variable: 'notification_topic_arn',
    hcl: (x: string) => `can(regex("^arn:aws[a-z-]*:sns:[^:]+:[0-9]{12}:.+$", ${x}))`,
    valid: (v: string) => /^arn:aws[a-z-]*:sns:[^:]+:[0-9]{12}:.+$/.test(v),
    reason: 'must be an SNS topic ARN',
    fix: 'pass the ARN of an existing topic, e.g. arn:aws:sns:eu-west-1:123456789012:ops, or leave it unset',
  },
  webhook_parameter_name: {
    variable: 'webhook_parameter_name',
    hcl: (x: string) => `length(${x}) <= 2048 && can(regex("^/?[a-zA-Z0-9_./-]+$", ${x}))`,
    valid: (v: string) => v.length <= 2048 && /^\/?[a-zA-Z0-9_./-]+$/.test(v),
    reason: 'may only contain letters, digits and _ . - / (at most 2048 characters)',
    fix: 'pass the name of an SSM SecureString parameter, e.g. /ops/slack-webhook',
  },
} as const satisfies Record<string, SettingRule>;

/**
 * The opt-in force comes after the maximum drain time: operators are told a drain is held before any task is stopped
 * undrained. `hcl` over the two values' expressions; a null force (unset) passes.
 */
export const FORCE_AFTER_MAX_DRAIN = {
  variable: 'force_drain_after_seconds',
  hcl: (force: string, maxDrain: string) => `${force} == null ? true : ${force} >= ${maxDrain}`,
  valid: (force: number, maxDrain: number) => force >= maxDrain,
  reason: (maxDrain: string) =>
    `is below the maximum drain time (${maxDrain}): a drain would be forced before operators are told`,
  fix: (spelling: 'construct' | 'module') =>
    spelling === 'construct'
      ? 'raise forceDrainAfterSeconds or lower maxDrainSeconds'
      : 'raise force_drain_after_seconds or lower max_drain_seconds',
} as const;

/** Throws the rule's ValidationError for a value known at synth time that breaks it (`prop`: the construct prop). */
export function checkSetting(rule: SettingRule, prop: string, value: unknown): void {
  if (isUncheckable(value) || value === null) return;
  if (!rule.valid(value as never)) invalid(prop, value, rule.reason, rule.fix);
}

/** The rule as a `validation` block of its module variable (`nullable`: a null value passes). */
export function settingValidation(rule: SettingRule, nullable = false): { condition: string; message: string } {
  const x = `var.${rule.variable}`;
  return {
    condition: nullable ? `${x} == null ? true : (${rule.hcl(x)})` : rule.hcl(x),
    message: moduleMessage(rule.variable, rule.reason, rule.fix),
  };
}

/** The weekdays of a maintenance window. */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** A rule over one maintenance window `w` ({ days, start_hour, end_hour } in the module). */
export interface WindowRule {
  /** The attribute named in the module's message (`maintenance_windows[*].days`). */
  readonly attribute: string;
  readonly hcl: (w: string) => string;
  readonly valid: (w: { days: readonly string[]; startHour: number; endHour: number }) => boolean;
  readonly reason: string;
  readonly fix: string;
}

export const MAINTENANCE_WINDOW_RULES: readonly WindowRule[] = [
  {
    attribute: 'maintenance_windows[*].days',
    hcl: (w) => `length(${w}.days) > 0 && alltrue([for d in ${w}.days : contains(${JSON.stringify(WEEKDAYS)}, d)])`,
    valid: (w) => w.days.length > 0 && w.days.every((d) => (WEEKDAYS as readonly string[]).includes(d)),
    reason: `must be a non-empty list of ${WEEKDAYS.join(', ')}`,
    fix: 'list weekdays such as ["Tue", "Wed"]',
  },
  {
    attribute: 'maintenance_windows[*].start_hour/end_hour',
    hcl: (w) => `${hclIntRange(`${w}.start_hour`, 0, 23)} && ${hclIntRange(`${w}.end_hour`, 1, 24)}`,
    valid: (w) => inIntRange(w.startHour, 0, 23) && inIntRange(w.endHour, 1, 24),
    reason: 'must be integers, start hour 0–23 and end hour 1–24 (UTC, end exclusive)',
    fix: 'use UTC hours',
  },
  {
    attribute: 'maintenance_windows[*]',
    hcl: (w) => `${w}.end_hour > ${w}.start_hour`,
    valid: (w) => w.endHour > w.startHour,
    reason: 'must end after it starts',
    fix: 'set the end hour after the start hour (split windows that cross midnight)',
  },
];
