/**
 * Pure text rendering of a {@link StatusSnapshot} (no AWS, no clock: "ages" are relative to `generatedAt`). Colours
 * come in as a picocolors instance, so the same code renders plain text for pipes, NO_COLOR and tests.
 */
import * as cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { Colors } from '../output';
import { InstanceRefreshView, NodeGroupStatus, StatusSnapshot, WaitingInstanceView } from './types';

const BAR_SIZE = 20;

export interface RenderOptions {
  readonly colors: Colors;
  /** Unicode bar characters (terminals) instead of ASCII (pipes, logs). */
  readonly unicode: boolean;
  /** List every instance in a table (`--instances`); the summary lines are always shown. */
  readonly instanceTable?: boolean;
}

/** "9d 04h", "2h 05m", "5m 40s", "42s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s >= 172800) return `${Math.floor(s / 86400)}d ${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A static progress bar in cli-progress's own format (the same bar `--watch` redraws every few seconds). */
export function progressBar(percent: number, unicode: boolean): string {
  const [complete, incomplete] = unicode ? ['\u2588', '\u2591'] : ['#', '-'];
  const bar = cliProgress.Format.BarFormat(Math.min(1, Math.max(0, percent / 100)), {
    barsize: BAR_SIZE,
    barCompleteString: complete.repeat(BAR_SIZE + 1),
    barIncompleteString: incomplete.repeat(BAR_SIZE + 1),
    barGlue: '',
  } as cliProgress.Options);
  return unicode ? bar : `[${bar}]`;
}

export function renderStatus(snapshot: StatusSnapshot, options: RenderOptions): string {
  const c = options.colors;
  const now = new Date(snapshot.generatedAt);
  const lines: string[] = [];
  const where = snapshot.region ? ` (${snapshot.region})` : '';
  const watcher = snapshot.paused ? c.yellow('PAUSED (pause switch is on)') : 'not paused';
  lines.push(
    `${c.bold(`Cluster ${snapshot.cluster}`)}${where} · ` +
      `${snapshot.generatedAt.replace('.000Z', 'Z')} · rollout ${watcher}`,
  );
  for (const group of snapshot.nodeGroups) lines.push('', ...renderNodeGroup(group, now, options));
  lines.push('');
  if (snapshot.disconnectedAgents.length === 0) {
    lines.push(`${c.bold('Disconnected agents')}  none`);
  } else {
    lines.push(c.bold(c.red(`Disconnected agents (${snapshot.disconnectedAgents.length})`)));
    for (const agent of snapshot.disconnectedAgents) {
      lines.push(
        `  ${agent.instanceId}  node group ${agent.nodeGroup}  container ` +
          `instance ${agent.containerInstanceStatus}, ECS agent not connected`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function renderNodeGroup(group: NodeGroupStatus, now: Date, options: RenderOptions): string[] {
  const c = options.colors;
  const label = (text: string) => `  ${text.padEnd(11)}`;
  const lines = [
    `${c.bold(c.cyan(group.name))}  ASG ${group.asgName} · AMI ` +
      `mode ${group.amiMode} · desired ${group.desiredCapacity}`,
  ];
  lines.push(label('Refresh') + renderRefresh(group.refresh, now, options));

  const approved = group.approvedAmi ? c.green(group.approvedAmi) : c.yellow('unknown');
  const source = group.approvedAmiSource ? c.dim(` (${group.approvedAmiSource})`) : '';
  lines.push(label('Approved') + approved + source);
  if (group.newestAmi) {
    const upToDate =
      group.newestAmi === group.approvedAmi ? c.green(' = approved') : c.yellow(' (newer than approved)');
    lines.push(label('Newest') + group.newestAmi + upToDate + c.dim(` (${group.newestAmiParameter})`));
  } else {
    lines.push(
      label('Newest') +
        c.dim(group.newestAmiParameter ? `unknown (${group.newestAmiParameter})` : 'unknown (custom AMI)'),
    );
  }

  const onApproved = group.amiCounts.filter((a) => a.approved).reduce((sum, a) => sum + a.count, 0);
  const older = group.amiCounts.filter((a) => !a.approved);
  const olderText =
    older.length === 0
      ? '0 on older AMIs'
      : `${older.reduce((s, a) => s + a.count, 0)} on older AMIs (` +
        `${older.map((a) => `${a.imageId} ×${a.count}`).join(', ')})`;
  lines.push(
    label('Instances') +
      `${group.instances.length} in ASG: ${c.green(`${onApproved} on approved`)}, ` +
      `${older.length ? c.yellow(olderText) : olderText}`,
  );

  if (group.waiting.length === 0) {
    lines.push(label('Gates') + 'no instance waiting in Pending:Wait or Terminating:Wait');
  } else {
    lines.push(label('Gates') + `${group.waiting.length} instance(s) held by a lifecycle gate:`);
    for (const wait of group.waiting) lines.push(`    ${renderWait(wait, c)}`);
  }
  for (const warning of group.warnings) lines.push(`  ${c.yellow(`warning: ${warning}`)}`);
  if (options.instanceTable && group.instances.length > 0)
    lines.push(
      ...renderInstanceTable(group, c)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  return lines;
}

function renderRefresh(refresh: InstanceRefreshView | undefined, now: Date, options: RenderOptions): string {
  const c = options.colors;
  if (refresh === undefined) return c.dim('none yet');
  const bar = progressBar(refresh.percentageComplete, options.unicode);
  const status = /Failed|Cancel|Rollback/.test(refresh.status)
    ? c.red(refresh.status)
    : refresh.status === 'Successful'
      ? c.green(refresh.status)
      : c.yellow(refresh.status);
  const ago = (iso: string) => formatDuration((now.getTime() - Date.parse(iso)) / 1000);
  const since = refresh.endTime
    ? `, ended ${ago(refresh.endTime)} ago`
    : refresh.startTime
      ? `, started ${ago(refresh.startTime)} ago`
      : '';
  const reason = refresh.statusReason ? c.dim(` — ${refresh.statusReason}`) : '';
  return (
    `${status} ${bar} ${refresh.percentageComplete}%  ` +
    `${refresh.instancesToUpdate} instance(s) to update${since}${reason}`
  );
}

function renderWait(wait: WaitingInstanceView, c: Colors): string {
  const age = wait.waitingSeconds === undefined ? 'for ?' : `for ${formatDuration(wait.waitingSeconds)}`;
  const decision =
    wait.decision === 'WAIT'
      ? c.yellow(wait.decision)
      : wait.decision === 'ABANDON'
        ? c.red(wait.decision)
        : c.green(wait.decision);
  return `${wait.instanceId}  ${wait.lifecycleState} ${age}  ${wait.gate} gate: ${decision} — ${wait.reason}`;
}

function renderInstanceTable(group: NodeGroupStatus, c: Colors): string {
  const table = new Table({
    head: ['instance', 'lifecycle', 'AMI', 'ECS', 'agent'].map((h) => c.bold(h)),
    style: { head: [], border: [] },
  });
  for (const i of group.instances) {
    const ami =
      i.imageId === undefined ? '?' : i.onApprovedAmi === false ? c.yellow(`${i.imageId} (older)`) : i.imageId;
    const agent = i.agentConnected === undefined ? '-' : i.agentConnected ? 'connected' : c.red('DISCONNECTED');
    table.push([i.instanceId, i.lifecycleState, ami, i.containerInstanceStatus ?? c.dim('not registered'), agent]);
  }
  return table.toString();
}
