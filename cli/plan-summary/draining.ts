/**
 * The "Draining" section: every planned change to what the drain path depends on — terminate hooks, the drain gate's
 * rules, configuration, permissions and function, ECS managed draining, capacity-provider membership — in plain words,
 * and per group who drains it before and after the apply. Pure.
 */
import {
  Drainer,
  actionIs,
  asgNameOfProvider,
  asgNames,
  drainRulesOf,
  drainersOf,
  hooksOf,
  isDrainGateResource,
} from './drain-path';
import { PlanResourceChange, Values, actionOf, at } from './plan-json';

export interface DrainChange {
  /** The ASG the change is about, when it is about one. */
  readonly asgName?: string;
  readonly text: string;
  readonly addresses: string[];
  /** The group keeps running with nothing left to drain it: `--fail-on-replace` fails. */
  readonly leavesUndrained?: boolean;
}

const VERB: Record<string, string> = { create: 'adds', delete: 'removes', replace: 'replaces', update: 'changes' };
const list = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
const drainersText = (d: readonly Drainer[]) => (d.length === 0 ? 'nothing' : d.join(' and '));

function diffNames(before: readonly string[] | undefined, after: readonly string[] | undefined): string[] {
  const parts: string[] = [];
  if (before === undefined || after === undefined) return parts;
  const added = after.filter((n) => !before.includes(n));
  const removed = before.filter((n) => !after.includes(n));
  if (removed.length > 0) parts.push(`stops matching ${list(removed)}`);
  if (added.length > 0) parts.push(`starts matching ${list(added)}`);
  return parts;
}

function hookChanges(changes: readonly PlanResourceChange[]): DrainChange[] {
  const before = hooksOf(changes, 'before');
  const after = hooksOf(changes, 'after');
  const out: DrainChange[] = [];
  const keys = new Set([...before, ...after].map((h) => `${h.address}|${h.name}`));
  for (const key of keys) {
    const [address, name] = key.split('|');
    const b = before.find((h) => h.address === address && h.name === name);
    const a = after.find((h) => h.address === address && h.name === name);
    const rc = changes.find((c) => c.address === address)!;
    if (b && !a) {
      out.push({ asgName: b.asgName, addresses: [address], text: `removes terminate hook \`${name}\`` });
      continue;
    }
    if (a && !b) {
      const settings = `heartbeat ${a.heartbeatSeconds ?? '?'} s, default ${a.defaultResult ?? '?'}`;
      out.push({ asgName: a.asgName, addresses: [address], text: `adds terminate hook \`${name}\` (${settings})` });
      continue;
    }
    if (!a || !b) continue;
    const parts: string[] = [];
    if (a.heartbeatSeconds !== b.heartbeatSeconds)
      parts.push(`heartbeat ${b.heartbeatSeconds ?? '?'} s → ${a.heartbeatSeconds ?? '?'} s`);
    if (a.defaultResult !== b.defaultResult) parts.push(`default result ${b.defaultResult} → ${a.defaultResult}`);
    if (a.asgName !== b.asgName) parts.push(`moves from ASG \`${b.asgName}\` to \`${a.asgName}\``);
    if (parts.length === 0) continue;
    const how = actionOf(rc) === 'replace' ? 'replaced' : 'in place';
    out.push({
      asgName: b.asgName,
      addresses: [address],
      text: `terminate hook \`${name}\`: ${parts.join(', ')} (${how})`,
    });
  }
  return out;
}

function ruleChanges(changes: readonly PlanResourceChange[]): DrainChange[] {
  const before = drainRulesOf(changes, 'before');
  const after = drainRulesOf(changes, 'after');
  const out: DrainChange[] = [];
  for (const address of new Set([...before, ...after].map((r) => r.address))) {
    const b = before.find((r) => r.address === address);
    const a = after.find((r) => r.address === address);
    const name = `drain rule \`${(a ?? b)!.name}\``;
    if (b && !a) out.push({ addresses: [address], text: `deletes ${name}: terminate events no longer reach the gate` });
    else if (a && !b) out.push({ addresses: [address], text: `creates ${name}` });
    else if (a && b) {
      const parts = diffNames(b.asgNames, a.asgNames);
      if (a.enabled !== b.enabled) parts.unshift(a.enabled ? 'DISABLED → ENABLED' : 'ENABLED → DISABLED');
      if (parts.length > 0) out.push({ addresses: [address], text: `${name}: ${parts.join(', ')}` });
    }
  }
  return out;
}

/** `name` as a whole name in `text` (an ARN's last part, a JSON string), not as part of a longer name. */
function mentionsName(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`).test(text);
}

/** GATE_CONFIG of the drain gate function: the ASGs it serves and their terminate heartbeats. */
function gateGroups(v: Values | null): Map<string, unknown> | undefined {
  const text = at(v, 'environment', 0, 'variables', 'GATE_CONFIG');
  if (typeof text !== 'string') return undefined;
  try {
    const config = JSON.parse(text) as { nodeGroups?: { asgName: string; terminateHeartbeatSeconds?: unknown }[] };
    return new Map((config.nodeGroups ?? []).map((g) => [g.asgName, g.terminateHeartbeatSeconds]));
  } catch {
    return undefined;
  }
}

function gateChanges(changes: readonly PlanResourceChange[], asgs: readonly string[]): DrainChange[] {
  const gate = changes.filter(
    (rc) => isDrainGateResource(rc) && rc.type !== 'aws_autoscaling_lifecycle_hook' && !actionIs(rc, 'no-op', 'read'),
  );
  const out: DrainChange[] = [];
  const deleted = gate.filter((rc) => actionIs(rc, 'delete'));
  const created = gate.filter((rc) => actionIs(rc, 'create'));
  for (const [resources, verb] of [
    [deleted, 'deletes'],
    [created, 'creates'],
  ] as const) {
    if (resources.length === 0) continue;
    const types = resources.map((rc) => rc.type);
    const fn = resources.some((rc) => rc.type === 'aws_lambda_function') ? 'the drain gate function and ' : '';
    out.push({
      addresses: resources.map((rc) => rc.address),
      text: `${verb} ${fn}${resources.length} drain gate resource(s) (${[...new Set(types)].join(', ')})`,
    });
  }
  for (const rc of gate.filter((c) => actionIs(c, 'update', 'replace'))) {
    if (rc.type === 'aws_lambda_function') {
      const b = gateGroups(rc.change.before);
      const a = gateGroups(rc.change.after);
      const parts = diffNames(b && [...b.keys()], a && [...a.keys()]).map((p) => p.replace('matching', 'serving'));
      for (const [asg, heartbeat] of a ?? []) {
        if (b?.has(asg) && b.get(asg) !== heartbeat)
          parts.push(`terminate heartbeat of \`${asg}\` ${String(b.get(asg))} s → ${String(heartbeat)} s`);
      }
      const unknown = at(rc.change.after_unknown, 'environment') !== undefined && a === undefined;
      const what = parts.join(', ') || (unknown ? 'changes (known after apply)' : 'changes');
      out.push({ addresses: [rc.address], text: `drain gate configuration: ${what}` });
    } else if (rc.type === 'aws_iam_role_policy' || rc.type === 'aws_iam_policy') {
      if (at(rc.change.after_unknown, 'policy') === true) {
        out.push({
          addresses: [rc.address],
          text: 'drain gate permissions: policy re-read at apply (known after apply)',
        });
        continue;
      }
      const mentions = (v: Values | null) => asgs.filter((n) => mentionsName(String(v?.policy ?? ''), n));
      const parts = diffNames(mentions(rc.change.before), mentions(rc.change.after)).map((p) =>
        p
          .replace('stops matching', 'no longer allows lifecycle actions on')
          .replace('starts matching', 'allows lifecycle actions on'),
      );
      out.push({ addresses: [rc.address], text: `drain gate permissions: ${parts.join(', ') || 'policy changes'}` });
    }
  }
  return out;
}

function capacityProviderChanges(changes: readonly PlanResourceChange[]): DrainChange[] {
  const out: DrainChange[] = [];
  for (const rc of changes) {
    if (rc.type === 'aws_ecs_capacity_provider' && !actionIs(rc, 'no-op', 'read')) {
      const v = rc.change.after ?? rc.change.before!;
      const asgName = asgNameOfProvider(v) ?? asgNameOfProvider(rc.change.before ?? {});
      const field = (side: Values | null, name: string) => at(side, 'auto_scaling_group_provider', 0, name);
      const parts: string[] = [];
      for (const name of ['managed_draining', 'managed_termination_protection']) {
        const [b, a] = [field(rc.change.before, name), field(rc.change.after, name)];
        if (rc.change.before && rc.change.after && b !== a)
          parts.push(`${name.replace(/_/g, ' ')} ${String(b)} → ${String(a)}`);
      }
      const action = actionOf(rc);
      const name = String((rc.change.before ?? v).name);
      const renamed = action === 'replace' && String(v.name) !== name ? ` (new: \`${String(v.name)}\`)` : '';
      const text =
        action === 'update'
          ? `capacity provider \`${name}\`: ${parts.join(', ')}`
          : `${VERB[action] ?? action} capacity provider \`${name}\`${renamed}`;
      if (action !== 'update' || parts.length > 0) out.push({ asgName, addresses: [rc.address], text });
    }
    if (rc.type === 'aws_ecs_cluster_capacity_providers' && actionIs(rc, 'update', 'replace')) {
      const names = (v: Values | null) => ((v?.capacity_providers as string[] | null) ?? []).map(String);
      const parts = diffNames(names(rc.change.before), names(rc.change.after)).map((p) =>
        p.replace('stops matching', 'drops').replace('starts matching', 'adds'),
      );
      if (parts.length > 0)
        out.push({ addresses: [rc.address], text: `cluster capacity providers: ${parts.join(', ')}` });
    }
  }
  return out;
}

/** Per surviving group whose drainers change: before → after, and what the apply's ordering leaves open. */
function drainerChanges(changes: readonly PlanResourceChange[], asgs: readonly string[]): DrainChange[] {
  const surviving = new Map(
    changes
      .filter((rc) => rc.type === 'aws_autoscaling_group' && actionIs(rc, 'update', 'no-op'))
      .map((rc) => [String(at(rc.change.after, 'name')), rc.address]),
  );
  const out: DrainChange[] = [];
  for (const asg of asgs.filter((n) => surviving.has(n))) {
    const before = drainersOf(changes, 'before', asg);
    const after = drainersOf(changes, 'after', asg);
    if (before.join() === after.join()) continue;
    const gap = before.length > 0 && after.length > 0 && !before.some((d) => after.includes(d));
    const text =
      `drained by ${drainersText(before)} → by ${drainersText(after)}` +
      (after.length === 0 ? ': its instances will terminate without draining' : '') +
      (gap
        ? '. Nothing orders these changes against each other in the apply: an instance that terminates meanwhile' +
          ' may be drained by neither'
        : '');
    out.push({ asgName: asg, addresses: [surviving.get(asg)!], text, leavesUndrained: after.length === 0 });
  }
  return out;
}

export function drainingChanges(changes: readonly PlanResourceChange[]): DrainChange[] {
  // A first deployment has no running instance to drain: what it creates is not a change to draining.
  if (!changes.some((rc) => rc.type === 'aws_autoscaling_group' && rc.change.before !== null)) return [];
  const asgs = asgNames(changes);
  return [
    ...drainerChanges(changes, asgs),
    ...hookChanges(changes),
    ...ruleChanges(changes),
    ...gateChanges(changes, asgs),
    ...capacityProviderChanges(changes),
  ];
}
