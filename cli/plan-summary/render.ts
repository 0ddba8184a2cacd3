/** Renders a {@link PlanSummary} as a PR comment (Markdown) or as plain text for terminals and CI logs. Pure. */
import { formatRoughDuration } from './duration';
import { NodeGroupChange, PlanSummary, PlannedRefresh, RefreshPreferences } from './summarize';

const ACTION_ORDER = ['create', 'update', 'replace', 'delete', 'forget'];
const MAX_LISTED_OTHER = 50;

function describePreferences(p: RefreshPreferences): string {
  const checkpoints =
    p.checkpointPercentages.length > 0
      ? `checkpoints ${p.checkpointPercentages.join('/')} % (pause ${p.checkpointDelaySeconds} s)`
      : 'no checkpoints';
  return (
    `${p.strategy}, min ${p.minHealthyPercentage} % / max ${p.maxHealthyPercentage} ` +
    `% healthy, warmup ${p.warmupSeconds} s, ${checkpoints}` +
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
  return `${formatRoughDuration(e.totalSeconds)} (${e.batches} batch${e.batches === 1 ? '' : 'es'} of ${e.batchSize})`;
}

function amiCell(group: NodeGroupChange, code: (s: string) => string): string {
  if (group.amiChanges.length === 0) return 'unchanged';
  return group.amiChanges.map((c) => `${code(c.from)} → ${code(c.to)}`).join('<br>');
}

function countsText(counts: Record<string, number>): string {
  const parts = ACTION_ORDER.filter((a) => counts[a]).map((a) => `${counts[a]} to ${a}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function renderMarkdown(summary: PlanSummary): string {
  const code = (s: string) => `\`${s}\``;
  const lines: string[] = ['### ecs-ami-rollout plan summary', ''];
  const failing = summary.risky.filter((r) => r.failing);
  if (failing.length > 0)
    lines.push(`> [!CAUTION]\n> **${failing.length} risky replacement/deletion(s)** — see "Risky changes" below.`, '');

  if (summary.nodeGroups.length === 0) {
    lines.push('No AMI change and no instance refresh in this plan.', '');
  } else {
    lines.push(
      '| Node group | AMI | Instance refresh | Instances replaced | Rough duration |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const g of summary.nodeGroups) {
      const name = g.asgName ? `**${g.nodeGroup}** (ASG ${code(g.asgName)})` : `**${g.nodeGroup}**`;
      const replaced = g.refresh ? String(g.refresh.instancesReplaced) : '0';
      lines.push(
        `| ${name} | ${amiCell(g, code)} | ${describeRefresh(g.refresh)} ` +
          `| ${replaced} | ${describeDuration(g.refresh)} |`,
      );
    }
    lines.push('');
    for (const g of summary.nodeGroups.filter((n) => n.amiChanges.length > 0 && !n.refresh)) {
      lines.push(`> [!NOTE]\n> ${g.nodeGroup}: the AMI changes but no ASG refresh is planned for it.`, '');
    }
  }

  lines.push('#### Risky changes', '');
  if (summary.risky.length === 0)
    lines.push('None: no replacement or deletion of the cluster, ASGs, capacity providers or lifecycle hooks.');
  for (const r of summary.risky)
    lines.push(`- ${r.failing ? '**' : ''}${r.what}${r.failing ? '**' : ''} — ${code(r.address)}`);
  lines.push('', `#### Everything else: ${countsText(summary.otherCounts)}`, '');

  if (summary.other.length > 0) {
    lines.push(`<details><summary>${summary.other.length} other change(s)</summary>`, '');
    for (const o of summary.other.slice(0, MAX_LISTED_OTHER)) lines.push(`- ${o.action}: ${code(o.address)}`);
    if (summary.other.length > MAX_LISTED_OTHER) lines.push(`- … and ${summary.other.length - MAX_LISTED_OTHER} more`);
    lines.push('', '</details>', '');
  }
  const a = summary.assumptions;
  lines.push(
    '<details><summary>How the duration is estimated</summary>',
    '',
    `${summary.durationFormula}.`,
    `Assumed: boot ${a.bootSeconds} s, join ${a.joinSeconds} s, drain ${a.drainSeconds} ` +
      `s; warmup and checkpoints from each ASG's instance_refresh preferences. ` +
      'Terraform starts the refresh when the launch template version changes; `terraform apply` does not wait for it.',
    '',
    '</details>',
  );
  return `${lines.join('\n')}\n`;
}

export function renderText(summary: PlanSummary): string {
  const lines: string[] = ['ecs-ami-rollout plan summary', ''];
  if (summary.nodeGroups.length === 0) lines.push('No AMI change and no instance refresh in this plan.');
  for (const g of summary.nodeGroups) {
    lines.push(`Node group ${g.nodeGroup}${g.asgName ? ` (ASG ${g.asgName})` : ''}`);
    if (g.amiChanges.length === 0) lines.push('  AMI:        unchanged');
    for (const c of g.amiChanges) lines.push(`  AMI:        ${c.from} → ${c.to}  (${c.via})`);
    lines.push(
      `  Refresh:    ` +
        `${g.refresh ? `${describeRefresh(g.refresh)} — because the ${g.refresh.trigger}` : 'none planned'}`,
    );
    if (g.refresh)
      lines.push(`  Replaced:   ${g.refresh.instancesReplaced} instance(s), ${describeDuration(g.refresh)}`);
  }
  lines.push('', `Risky changes: ${summary.risky.length === 0 ? 'none' : summary.risky.length}`);
  for (const r of summary.risky) lines.push(`  ${r.failing ? '!!' : ' !'} ${r.what} (${r.address})`);
  lines.push(`Everything else: ${countsText(summary.otherCounts)}`);
  lines.push('', `Duration formula: ${summary.durationFormula}`);
  const a = summary.assumptions;
  lines.push(`Assumed boot ${a.bootSeconds} s, join ${a.joinSeconds} s, drain ${a.drainSeconds} s.`);
  return `${lines.join('\n')}\n`;
}
