/**
 * Defaults, validation rules and AWS limits, rendered from where they are defined once (lib/defaults.ts, the
 * *_DEFAULTS objects, lib/setting-rules.ts, the node group rule tables, lib/aws-limits.ts).
 */
import * as path from 'node:path';
import { DEFAULTS } from '../../lib/defaults';
import * as LIMITS from '../../lib/aws-limits';
import { GATE_DEFAULTS, GATE_TIMEOUT_SECONDS } from '../../lib/gates/gate-defaults';
import { AGENT_MONITOR_DEFAULTS } from '../../lib/monitor/agent-monitor';
import {
  NODE_GROUP_MAP_RULES,
  NODE_GROUP_RULES,
  RESOLVED_NODE_GROUP_RULES,
} from '../../lib/node-group/node-group-rules';
import { MAINTENANCE_WINDOW_RULES, SETTING_RULES } from '../../lib/setting-rules';
import { AMI_WATCHER_DEFAULTS } from '../../lib/watcher/ami-watcher-props';
import { MODULE_RULE_CONTEXT } from '../module/node-group-rules';
import { code, literal, table } from './markdown';
import { exportedDocs, objectComments } from './source-comments';

const LIB = path.join(__dirname, '..', '..', 'lib');

/** A source of defaults: the exported object, where it is defined, and the prefix its keys get in the table. */
export interface DefaultsSource {
  readonly name: string;
  readonly file: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export const DEFAULTS_SOURCES: readonly DefaultsSource[] = [
  { name: 'DEFAULTS', file: 'defaults.ts', values: DEFAULTS },
  { name: 'GATE_DEFAULTS', file: 'gates/gate-defaults.ts', values: GATE_DEFAULTS },
  { name: 'AMI_WATCHER_DEFAULTS', file: 'watcher/ami-watcher-props.ts', values: AMI_WATCHER_DEFAULTS },
  { name: 'AGENT_MONITOR_DEFAULTS', file: 'monitor/agent-monitor.ts', values: AGENT_MONITOR_DEFAULTS },
];

function flatten(values: Readonly<Record<string, unknown>>, prefix = ''): [string, unknown][] {
  return Object.entries(values).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

/** Every default, with the comment that explains it where the code has one. */
export function defaultsTable(sources: readonly DefaultsSource[] = DEFAULTS_SOURCES): string[] {
  const rows = sources.flatMap((source) => {
    const comments = objectComments(path.join(LIB, source.file), source.name);
    return flatten(source.values).map(([key, value]) => [
      code(`${source.name}.${key}`),
      code(literal(value)),
      comments.get(key) ?? '',
    ]);
  });
  rows.push([code('GATE_TIMEOUT_SECONDS'), code(literal(GATE_TIMEOUT_SECONDS)), 'timeout of both gate functions']);
  return table(['setting', 'default', 'why'], rows);
}

/** The single-setting rules: the construct's check and the module's `validation` block both come from these. */
export function settingRulesTable(): string[] {
  const rows = Object.values(SETTING_RULES).map((rule) => [code(rule.variable), rule.reason, rule.fix]);
  for (const rule of MAINTENANCE_WINDOW_RULES) rows.push([code(rule.attribute), rule.reason, rule.fix]);
  return table(['module variable', 'rule', 'fix'], rows);
}

/** The node group rules, as the module states them (root volume floor of the AL2023 ECS-optimized AMI). */
export function nodeGroupRulesTable(): string[] {
  const ctx = MODULE_RULE_CONTEXT;
  const rows = [...NODE_GROUP_RULES, ...RESOLVED_NODE_GROUP_RULES].map((rule) => [
    code(rule.attribute),
    rule.reason(ctx),
    rule.fix(ctx),
  ]);
  for (const rule of NODE_GROUP_MAP_RULES) rows.push([code(rule.attribute), rule.reason, rule.fix]);
  return table(['node group attribute', 'rule', 'fix'], rows);
}

/** AWS limits and formulas the constructs, module and Lambdas share, with their sources. */
export function limitsTable(): string[] {
  const values = LIMITS as Readonly<Record<string, unknown>>;
  const rows = exportedDocs(path.join(LIB, 'aws-limits.ts')).map(({ name, comment }) => {
    const value = values[name];
    return [code(name), typeof value === 'function' ? 'formula' : code(literal(value)), comment];
  });
  return table(['name', 'value', 'source'], rows);
}
