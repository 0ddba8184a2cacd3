/**
 * The EventBridge rules of every function, rendered from the builders the constructs deploy (lib/triggers) with
 * placeholder inputs, and the gates' SQS buffer settings (lib/gates/gate-event-buffer.ts).
 */
import { AGENT_MONITOR_DEFAULTS } from '../../lib/monitor/agent-monitor';
import { AMI_WATCHER_DEFAULTS } from '../../lib/watcher/ami-watcher-props';
import { GATE_DEFAULTS } from '../../lib/gates/gate-defaults';
import { GATE_EVENT_BUFFER } from '../../lib/gates/gate-event-buffer';
import { LAUNCH_HOOK_NAME, TERMINATE_HOOK_NAME } from '../../lib/node-group/auto-scaling-group';
import {
  agentMonitorRules,
  amiWatcherRules,
  drainGateRules,
  launchGateRules,
  type TriggerRule,
} from '../../lib/triggers';
import { code, literal, paragraph, table } from './markdown';

/** Placeholders for the values only a deployment knows. */
const CLUSTER_ARN = '<cluster ARN>';
const ASG_NAMES = ["<each node group's Auto Scaling group>"];
const APPROVED_PARAMETERS = ["<each auto node group's approved-AMI parameter, with and without the leading />"];

/** Every function's rules, as the constructs build them with their defaults. */
export function productRules(): { fn: string; rules: TriggerRule[] }[] {
  const gate = { clusterArn: CLUSTER_ARN, asgNames: ASG_NAMES, sweepSchedule: GATE_DEFAULTS.sweepSchedule };
  return [
    { fn: 'launch gate', rules: launchGateRules({ ...gate, hookName: LAUNCH_HOOK_NAME }) },
    { fn: 'drain gate', rules: drainGateRules({ ...gate, hookName: TERMINATE_HOOK_NAME }) },
    {
      fn: 'AMI watcher',
      rules: amiWatcherRules({
        schedule: AMI_WATCHER_DEFAULTS.schedule,
        asgNames: ASG_NAMES,
        approvedParameterNames: APPROVED_PARAMETERS,
      }),
    },
    { fn: 'agent monitor', rules: agentMonitorRules({ schedule: AGENT_MONITOR_DEFAULTS.schedule }) },
  ];
}

/** One pattern value: a plain value, or a content filter such as `{ prefix: … }`. */
function filterValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const [[operator, operand]] = Object.entries(value);
    return operator === 'prefix' ? `${code(String(operand))}…` : `${operator} ${code(literal(operand))}`;
  }
  return code(String(value));
}

function filters(pattern: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  return Object.entries(pattern).flatMap(([key, value]) =>
    Array.isArray(value)
      ? [`${code(prefix + key)} ∈ {${value.map(filterValue).join(', ')}}`]
      : filters(value as Record<string, unknown>, `${prefix}${key}.`),
  );
}

/** What a rule matches, in one cell. */
export function matchCell(rule: TriggerRule): string {
  if (rule.scheduleExpression) return `schedule ${code(rule.scheduleExpression)}`;
  return filters(rule.eventPattern ?? {}).join('; ');
}

/** The rules of the given functions (all by default) as a table. */
export function triggersTable(only?: readonly string[]): string[] {
  const rows = productRules()
    .filter(({ fn }) => !only || only.includes(fn))
    .flatMap(({ fn, rules }) => rules.map((rule) => [fn, code(rule.id), matchCell(rule), rule.description]));
  return table(['function', 'rule', 'matches', 'why'], rows);
}

/** The gates' event buffer between EventBridge and each gate function, as wrapped lines. */
export function gateBufferLines(): string[] {
  const b = GATE_EVENT_BUFFER;
  return paragraph(
    `Each gate's rules feed its SQS queue; an event source mapping hands them over in batches of up to ` +
      `${b.batchSize} (window ${b.maximumBatchingWindowSeconds} s, maximum concurrency ${b.maximumConcurrency}, ` +
      `partial batch responses, dead-letter queue after ${b.maxReceiveCount} receives, messages kept ` +
      `${b.messageRetentionSeconds} s, visibility timeout ${b.visibilityTimeoutFactor} × the function timeout).`,
  );
}
