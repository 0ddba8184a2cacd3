/**
 * Notification builders of the watcher (pure). Dedupe keys name the node group and the AMI or refresh id, so a repeated
 * event is suppressed by the shared notifier inside one container; the per-group state's `notified` fingerprints
 * suppress hourly repeats across cold starts.
 */
import type { Notification, NotificationKind, NotificationSeverity, NotifyResult } from '../shared/notifier';
import type { WatcherConfig, WatcherNodeGroup } from './config';

export type Details = Record<string, string | number>;

export function notification(
  config: WatcherConfig,
  group: WatcherNodeGroup,
  spec: { readonly kind: NotificationKind; readonly severity: NotificationSeverity; readonly title: string },
  details: Details,
  keyParts: readonly string[],
): Notification {
  return {
    kind: spec.kind,
    severity: spec.severity,
    cluster: config.clusterName,
    nodeGroup: group.name,
    title: spec.title,
    details: { mode: group.mode, asg: group.asgName, ...details },
    dedupeKey: [spec.kind, config.clusterName, group.name, ...keyParts].join(':'),
  };
}

/** Delivered, suppressed as a duplicate, or no channel configured: nothing left to retry on the next run. */
export function settled(result: NotifyResult): boolean {
  if (result.delivered || result.deduped) return true;
  return result.sns !== 'failed' && result.webhook !== 'failed' && result.webhook !== 'refused';
}

/** `ami-a ×3, ami-b ×1` — the AMIs a fleet runs, most common first. */
export function amiCounts(imageIds: readonly (string | undefined)[]): string {
  const counts = new Map<string, number>();
  for (const id of imageIds) counts.set(id ?? 'unknown', (counts.get(id ?? 'unknown') ?? 0) + 1);
  return (
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([id, n]) => `${id} ×${n}`)
      .join(', ') || 'no instances'
  );
}
