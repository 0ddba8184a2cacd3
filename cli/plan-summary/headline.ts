/**
 * The opening sentence of a summary: the worst change in the plan, so the first line never understates it. Plain
 * text: both formats print it as it is. Pure.
 */
import type { DrainChange } from './draining';
import type { GroupImpact } from './impact';

export type Severity = 'terminates' | 'drain-path' | 'rolls' | 'quiet';

export interface Headline {
  readonly severity: Severity;
  readonly text: string;
}

interface HeadlineInput {
  readonly impacts: readonly GroupImpact[];
  readonly draining: readonly DrainChange[];
  readonly nodeGroups: readonly { nodeGroup: string; refresh?: { instancesReplaced: number } }[];
  readonly otherCount: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function headlineOf(input: HeadlineInput): Headline {
  const terminating = input.impacts.filter((i) => i.groupAction !== 'none');
  if (terminating.length > 0) {
    const instances = terminating.reduce((sum, i) => sum + i.instances, 0);
    const undrained = terminating.filter((i) => i.drained === 'no' || i.drained === 'not reliably');
    const groups = terminating.map((i) => i.asgName).join(', ');
    const drained =
      undrained.length === 0
        ? 'drained first'
        : undrained.length === terminating.length
          ? 'without a reliable drain'
          : `${undrained.length} group(s) without a reliable drain`;
    return {
      severity: 'terminates',
      text:
        `This plan terminates ${plural(instances, 'running instance')} at once (${groups}: ` +
        `${terminating.map((i) => (i.groupAction === 'replace' ? 'replaced' : 'deleted')).join(', ')}), ${drained}.`,
    };
  }
  const refreshes = input.nodeGroups.filter((g) => g.refresh);
  const rolling = refreshes.reduce((sum, g) => sum + (g.refresh?.instancesReplaced ?? 0), 0);
  const rolls = refreshes.length > 0 ? ` It replaces ${plural(rolling, 'instance')} by rolling instance refresh.` : '';
  if (input.draining.length > 0) {
    const asgs = [...new Set(input.draining.flatMap((d) => (d.asgName ? [d.asgName] : [])))];
    return {
      severity: 'drain-path',
      text:
        `This plan changes how instances are drained${asgs.length > 0 ? ` (${asgs.join(', ')})` : ''}` +
        `: see Draining.${rolls}`,
    };
  }
  if (refreshes.length > 0)
    return {
      severity: 'rolls',
      text:
        `This plan replaces ${plural(rolling, 'instance')} in ` +
        `${refreshes.map((g) => g.nodeGroup).join(', ')} ` +
        'by rolling instance refresh; no instance is terminated outside it and draining is unchanged.',
    };
  return {
    severity: 'quiet',
    text:
      'No running instance is replaced or terminated and draining is unchanged' +
      (input.otherCount > 0 ? ` (${plural(input.otherCount, 'other change')}).` : '.'),
  };
}
