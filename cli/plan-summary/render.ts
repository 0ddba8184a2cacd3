/** Renders a {@link PlanSummary} as a PR comment (Markdown) or as plain text for terminals and CI logs. Pure. */
import { describeBatches, formatRoughDuration } from './duration';
import type { DrainChange } from './draining';
import type { GroupImpact } from './impact';
import { NodeGroupChange, PlanSummary, PlannedRefresh, RefreshPreferences } from './summarize';

const ACTION_ORDER = ['create', 'update', 'replace', 'delete', 'forget'];
const MAX_LISTED_OTHER = 50;
type Code = (s: string) => string;

function describePreferences(p: RefreshPreferences): string {
  const checkpoints =
    p.checkpointPercentages.length > 0
      ? `checkpoints ${p.checkpointPercentages.join('/')} % (pause ${p.checkpointDelaySeconds} s)`
      : 'no checkpoints';
  return (
    `${p.strategy}, min ${p.minHealthyPercentage} % / max ${p.maxHealthyPercentage} ` +
    `% healthy, warmup ${p.warmupSeconds} s, ${checkpoints}` +
    `${p.bakeSeconds ? `, bake ${p.bakeSeconds} s` : ''}` +
    `${p.autoRollback ? ', auto rollback' : ''}${p.skipMatching ? ', skip matching' : ''}`
  );
}

function describeRefresh(refresh: PlannedRefresh | undefined): string {
  if (refresh === undefined) return 'none';
  if (refresh.preferences === undefined)
    return 'NONE: the ASG has no instance_refresh block, running instances keep the old launch template';
  return describePreferences(refresh.preferences);
}

function describeDuration(refresh: PlannedRefresh | undefined): string {
  const e = refresh?.estimate;
  if (!e) return '-';
  return `${formatRoughDuration(e.totalSeconds)} (${describeBatches(e)})`;
}

function alarmsOf(refresh: PlannedRefresh | undefined, code: Code): string {
  const alarms = refresh?.preferences?.alarms ?? [];
  return alarms.length > 0 ? alarms.map(code).join(', ') : 'none';
}

function amiCell(group: NodeGroupChange, code: Code): string {
  if (group.amiChanges.length === 0) return 'unchanged';
  return group.amiChanges.map((c) => `${code(c.from)} → ${code(c.to)}`).join('<br>');
}

function countsText(counts: Record<string, number>): string {
  const parts = ACTION_ORDER.filter((a) => counts[a]).map((a) => `${counts[a]} to ${a}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

const KIND: Record<string, string> = {
  aws_ecs_capacity_provider: 'capacity provider',
  aws_launch_template: 'launch template',
};

const DRAINED: Record<GroupImpact['drained'], string> = {
  'drain gate': 'drained by the drain gate',
  'ECS managed draining': 'drained by ECS managed draining',
  no: 'NOT drained',
  'not reliably': 'NOT reliably drained',
  'n/a': 'no instance terminated by this',
};

/** One sentence per replaced or deleted group: instances, how they go, whether drained, and the safer way. */
export function impactSentence(i: GroupImpact, code: Code, strong: Code): string {
  const alongside = i.addresses
    .slice(1)
    .map((a) => KIND[/(aws_[a-z0-9_]+)\./.exec(a)?.[1] ?? ''])
    .filter((t): t is string => t !== undefined);
  const withIt = i.groupAction !== 'none' && alongside.length > 0 ? `, with its ${alongside.join(' and ')}` : '';
  const what =
    i.groupAction === 'none'
      ? `keeps its ${i.instances} instance(s); replaces or deletes ${i.addresses.map(code).join(', ')}`
      : `${i.groupAction === 'replace' ? 'replaced' : 'deleted'}${
          i.forcedBy.length > 0 ? ` (forced by ${i.forcedBy.map(code).join(', ')})` : ''
        }${withIt}: ${strong(`${i.instances} running instance(s) terminated together`)}, not replaced rolling` +
        (i.groupAction === 'replace'
          ? i.termination === 'together, new group first'
            ? ' (the new group is created first)'
            : '; the new group launches only after the old one is deleted'
          : '');
  const drained = i.groupAction === 'none' ? '' : `; ${strong(DRAINED[i.drained])}: ${i.drainReason}`;
  const safer = i.alternative ? `. Safer: ${i.alternative}` : '';
  return `${what}${drained}${safer}.`;
}

function drainingLines(changes: readonly DrainChange[], code: Code): string[] {
  return changes.map((c) => `${c.asgName ? `ASG ${code(c.asgName)}: ` : ''}${c.text}`);
}

function refreshWhy(refresh: PlannedRefresh | undefined): string {
  return refresh ? refresh.reasons.join('; ') : '-';
}

export function renderMarkdown(summary: PlanSummary): string {
  const code = (s: string) => `\`${s}\``;
  const strong = (s: string) => `**${s}**`;
  const lines: string[] = ['### ecs-ami-rollout plan summary', ''];
  const failing = summary.risky.some((r) => r.failing) || summary.impacts.some((i) => i.groupAction !== 'none');
  lines.push(failing ? `> [!CAUTION]\n> **${summary.headline.text}**` : summary.headline.text, '');

  const impacts = summary.impacts;
  if (impacts.length > 0) {
    lines.push('#### Instances terminated', '');
    for (const i of impacts)
      lines.push(`- **${i.nodeGroup}** (ASG ${code(i.asgName)}) ${impactSentence(i, code, strong)}`);
    lines.push('');
  }

  const refreshed = summary.nodeGroups;
  if (refreshed.length > 0) {
    lines.push(
      '#### Instance refreshes',
      '',
      '| Node group | Why | AMI | Instance refresh | Alarms | Instances replaced | Rough duration |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const g of refreshed) {
      const name = g.asgName ? `**${g.nodeGroup}** (ASG ${code(g.asgName)})` : `**${g.nodeGroup}**`;
      const replaced = g.refresh ? String(g.refresh.instancesReplaced) : '0';
      lines.push(
        `| ${name} | ${refreshWhy(g.refresh)} | ${amiCell(g, code)} | ${describeRefresh(g.refresh)} ` +
          `| ${alarmsOf(g.refresh, code)} | ${replaced} | ${describeDuration(g.refresh)} |`,
      );
    }
    lines.push('');
    for (const g of refreshed.filter((n) => n.amiChanges.length > 0 && !n.refresh)) {
      lines.push(`> [!NOTE]\n> ${g.nodeGroup}: the AMI changes but no ASG refresh is planned for it.`, '');
    }
  }

  if (summary.draining.length > 0) {
    lines.push('#### Draining', '');
    for (const line of drainingLines(summary.draining, code)) lines.push(`- ${line}`);
    lines.push('');
  }

  const otherRisks = summary.risky.filter((r) => !impacts.some((i) => i.addresses.includes(r.address)));
  lines.push('#### Other risky changes', '');
  if (otherRisks.length === 0) lines.push('None.');
  for (const r of otherRisks)
    lines.push(`- ${r.failing ? '**' : ''}${r.what}${r.failing ? '**' : ''} — ${code(r.address)}`);
  lines.push('', `#### Everything else: ${countsText(summary.otherCounts)}`, '');

  if (summary.other.length > 0) {
    lines.push(`<details><summary>${summary.other.length} other change(s)</summary>`, '');
    for (const o of summary.other.slice(0, MAX_LISTED_OTHER)) lines.push(`- ${o.action}: ${code(o.address)}`);
    if (summary.other.length > MAX_LISTED_OTHER) lines.push(`- … and ${summary.other.length - MAX_LISTED_OTHER} more`);
    lines.push('', '</details>', '');
  }
  if (!summary.nodeGroups.some((g) => g.refresh?.estimate)) return `${lines.join('\n').trimEnd()}\n`;
  const a = summary.assumptions;
  lines.push(
    '<details><summary>How the duration is estimated</summary>',
    '',
    `${summary.durationFormula}.`,
    `Assumed: boot ${a.bootSeconds} s, join ${a.joinSeconds} s, drain ${a.drainSeconds} ` +
      `s; warmup, checkpoints and alarms from each ASG's instance_refresh preferences. ` +
      'Terraform starts the refresh when the launch template version changes; `terraform apply` does not wait for it.',
    '',
    '</details>',
  );
  return `${lines.join('\n')}\n`;
}

export function renderText(summary: PlanSummary): string {
  const plain = (s: string) => s;
  const lines: string[] = ['ecs-ami-rollout plan summary', '', summary.headline.text];
  for (const i of summary.impacts) {
    lines.push('', `Node group ${i.nodeGroup} (ASG ${i.asgName})`, `  Impact:     ${impactSentence(i, plain, plain)}`);
  }
  for (const g of summary.nodeGroups) {
    lines.push('', `Node group ${g.nodeGroup}${g.asgName ? ` (ASG ${g.asgName})` : ''}`);
    if (g.amiChanges.length === 0) lines.push('  AMI:        unchanged');
    for (const c of g.amiChanges) lines.push(`  AMI:        ${c.from} → ${c.to}  (${c.via})`);
    lines.push(
      `  Refresh:    ` +
        `${g.refresh ? `${describeRefresh(g.refresh)} — because the ${g.refresh.trigger}` : 'none planned'}`,
    );
    if (g.refresh) {
      lines.push(`  Why:        ${refreshWhy(g.refresh)}`);
      lines.push(`  Alarms:     ${alarmsOf(g.refresh, plain)}`);
      lines.push(`  Replaced:   ${g.refresh.instancesReplaced} instance(s), ${describeDuration(g.refresh)}`);
    }
  }
  if (summary.draining.length > 0) {
    lines.push('', 'Draining:');
    for (const line of drainingLines(summary.draining, plain)) lines.push(`  - ${line}`);
  }
  const otherRisks = summary.risky.filter((r) => !summary.impacts.some((i) => i.addresses.includes(r.address)));
  lines.push('', `Other risky changes: ${otherRisks.length === 0 ? 'none' : otherRisks.length}`);
  for (const r of otherRisks) lines.push(`  ${r.failing ? '!!' : ' !'} ${r.what} (${r.address})`);
  lines.push(`Everything else: ${countsText(summary.otherCounts)}`);
  lines.push('', `Duration formula: ${summary.durationFormula}`);
  const a = summary.assumptions;
  lines.push(`Assumed boot ${a.bootSeconds} s, join ${a.joinSeconds} s, drain ${a.drainSeconds} s.`);
  return `${lines.join('\n')}\n`;
}
