/**
 * Rules that tie the gates' settings to each node group's hooks, once: the LifecycleGates construct checks them, the
 * plain module renders them as preconditions of each Auto Scaling group (a variable's validation may not read another
 * variable before Terraform 1.9).
 */
import { hookGlobalTimeoutHcl, hookGlobalTimeoutSeconds } from './aws-limits';
import type { Spelling } from './rules';
import { isUncheckable } from './validation';

/** Seconds of a `rate(...)` schedule; undefined for cron (no fixed period) and for values only Terraform knows. */
export function rateSeconds(expression: string): number | undefined {
  if (isUncheckable(expression)) return undefined;
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return undefined;
  return Number(match[1]) * { minute: 60, hour: 3600, day: 86400 }[match[2].replace(/s$/, '') as 'minute'];
}

/** {@link rateSeconds} as HCL (null for cron). */
function rateSecondsHcl(schedule: string): string {
  const parts = `regex("^rate\\\\(([0-9]+) (minute|hour|day)s?\\\\)$", ${schedule})`;
  const unit = `lookup({ minute = 60, hour = 3600, day = 86400 }, ${parts}[1])`;
  return `can(${parts}) ? tonumber(${parts}[0]) * ${unit} : null`;
}

/** What the rules read of one node group. */
export interface GateGroupView {
  readonly name: string;
  readonly launchHeartbeatSeconds: number;
  readonly terminateHeartbeatSeconds: number;
}

/** What the rules read of the gate settings. */
export interface GateSettingsView {
  readonly maxDrainSeconds: number;
  readonly sweepSchedule: string;
  /** Unset: drains are never forced. */
  readonly forceDrainAfterSeconds?: number;
}

export interface GateGroupRule {
  /** The gate setting the rule is about (module variable name; the construct prop is its camelCase). */
  readonly setting: 'max_drain_seconds' | 'force_drain_after_seconds' | 'sweep_schedule';
  /** HCL condition over the settings' variables and one node group `g` (normalized). */
  readonly hcl: string;
  /** Why; `detail` is the construct's computation (the module names the formula instead). */
  readonly reason: (group: string, detail?: string) => string;
  readonly fix: (spelling: Spelling) => string;
  /** The offending setting value and the computation behind it, or undefined. */
  readonly check: (settings: GateSettingsView, group: GateGroupView) => { value: unknown; detail: string } | undefined;
}

const sweep = rateSecondsHcl('var.sweep_schedule');

/**
 * A drain setting that must end before the terminate hook's global timeout of every node group, or the hook would end
 * first (`nullable`: unset passes — the opt-in force).
 */
function withinTerminateGlobalTimeout(
  setting: 'max_drain_seconds' | 'force_drain_after_seconds',
  prop: 'maxDrainSeconds' | 'forceDrainAfterSeconds',
  nullable: boolean,
): GateGroupRule {
  const variable = `var.${setting}`;
  const condition = `${variable} <= ${hookGlobalTimeoutHcl('g.terminate_hook.heartbeat_timeout')}`;
  return {
    setting,
    hcl: nullable ? `${variable} == null ? true : ${condition}` : condition,
    reason: (group, detail = 'min(48 h, 100 × heartbeat timeout)') =>
      `exceeds the terminate hook's global timeout of node group ${group} (${detail})`,
    fix: (spelling) =>
      spelling === 'construct'
        ? `lower ${prop} or raise terminateHook.heartbeatTimeoutSeconds`
        : `lower ${setting} or raise terminate_hook.heartbeat_timeout of the node group`,
    check: (s, g) => {
      const value = s[prop];
      if (value === undefined || [value, g.terminateHeartbeatSeconds].some(isUncheckable)) return undefined;
      const timeout = hookGlobalTimeoutSeconds(g.terminateHeartbeatSeconds);
      return value <= timeout
        ? undefined
        : { value, detail: `${timeout} s = min(48 h, 100 × ${g.terminateHeartbeatSeconds} s)` };
    },
  };
}

export const GATE_GROUP_RULES: readonly GateGroupRule[] = [
  withinTerminateGlobalTimeout('max_drain_seconds', 'maxDrainSeconds', false),
  // The opt-in force must come before the hook's global timeout, or it would never act.
  withinTerminateGlobalTimeout('force_drain_after_seconds', 'forceDrainAfterSeconds', true),
  {
    setting: 'sweep_schedule',
    hcl:
      `(${sweep}) == null ? true : ` +
      `2 * (${sweep}) <= min(g.launch_hook.heartbeat_timeout, g.terminate_hook.heartbeat_timeout)`,
    reason: (group, detail) =>
      `runs ${detail ? detail.split('|')[0] : 'at intervals'}, more than half the shortest heartbeat timeout of node ` +
      `group ${group}${detail ? ` (${detail.split('|')[1]})` : ''}, so a wait could miss its heartbeat`,
    fix: () => 'sweep more often or raise the heartbeat timeouts',
    check: (s, g) => {
      const period = rateSeconds(s.sweepSchedule);
      const hearts = [g.launchHeartbeatSeconds, g.terminateHeartbeatSeconds];
      if (period === undefined || hearts.some(isUncheckable)) return undefined;
      const shortest = Math.min(...hearts);
      return 2 * period <= shortest ? undefined : { value: s.sweepSchedule, detail: `every ${period} s|${shortest} s` };
    },
  },
];
