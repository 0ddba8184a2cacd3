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

export const GATE_GROUP_RULES: readonly GateGroupRule[] = [
  {
    setting: 'max_drain_seconds',
    hcl: `var.max_drain_seconds <= ${hookGlobalTimeoutHcl('g.terminate_hook.heartbeat_timeout')}`,
    reason: (group, detail = 'min(48 h, 100 × heartbeat timeout)') =>
      `exceeds the terminate hook's global timeout of node group ${group} (${detail})`,
    fix: (spelling) =>
      spelling === 'construct'
        ? 'lower maxDrainSeconds or raise terminateHook.heartbeatTimeoutSeconds'
        : 'lower max_drain_seconds or raise terminate_hook.heartbeat_timeout of the node group',
    check: (s, g) => {
      if ([s.maxDrainSeconds, g.terminateHeartbeatSeconds].some(isUncheckable)) return undefined;
      const timeout = hookGlobalTimeoutSeconds(g.terminateHeartbeatSeconds);
      return s.maxDrainSeconds <= timeout
        ? undefined
        : { value: s.maxDrainSeconds, detail: `${timeout} s = min(48 h, 100 × ${g.terminateHeartbeatSeconds} s)` };
    },
  },
  {
    // The opt-in force must come before the hook's global timeout, or it would never act.
    setting: 'force_drain_after_seconds',
    hcl:
      'var.force_drain_after_seconds == null ? true : ' +
      `var.force_drain_after_seconds <= ${hookGlobalTimeoutHcl('g.terminate_hook.heartbeat_timeout')}`,
    reason: (group, detail = 'min(48 h, 100 × heartbeat timeout)') =>
      `exceeds the terminate hook's global timeout of node group ${group} (${detail})`,
    fix: (spelling) =>
      spelling === 'construct'
        ? 'lower forceDrainAfterSeconds or raise terminateHook.heartbeatTimeoutSeconds'
        : 'lower force_drain_after_seconds or raise terminate_hook.heartbeat_timeout of the node group',
    check: (s, g) => {
      const force = s.forceDrainAfterSeconds;
      if (force === undefined || [force, g.terminateHeartbeatSeconds].some(isUncheckable)) return undefined;
      const timeout = hookGlobalTimeoutSeconds(g.terminateHeartbeatSeconds);
      return force <= timeout
        ? undefined
        : { value: force, detail: `${timeout} s = min(48 h, 100 × ${g.terminateHeartbeatSeconds} s)` };
    },
  },
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
