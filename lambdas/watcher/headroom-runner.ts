/**
 * The headroom check of headroom-decision.ts with its adapter (ListServices + DescribeServices in batches of 10) and
 * its notification: critical, once per set of blocking services (the group state remembers the fingerprint).
 */
import type { WatcherNodeGroup } from './config';
import type { WatcherDeps } from './deps';
import { describeClusterServices } from './adapters/ecs';
import { decideHeadroom } from './headroom-decision';
import { notification, settled } from './notifications';
import { shouldNotify, withNotified, type GroupState } from './state';

export type HeadroomCheck =
  { readonly ok: true } | { readonly ok: false; readonly state: GroupState; readonly reason: string };

/** `what`: the refresh the check is about ("Rollout of ami-…", "Instance refresh r-1 (not started by …)"). */
export async function checkHeadroom(
  deps: WatcherDeps,
  group: WatcherNodeGroup,
  state: GroupState,
  what: string,
  consequence: string,
): Promise<HeadroomCheck> {
  const decision = decideHeadroom(await describeClusterServices(deps.ecs, deps.config.clusterArn));
  if (decision.action === 'PROCEED') return { ok: true };
  const names = decision.services.map((s) => s.service).join(', ');
  const reason = `${consequence}: ECS cannot drain an instance running a task of ${names}. ${decision.reason}`;
  let next = state;
  if (shouldNotify(state, 'headroom', decision.fingerprint)) {
    const result = await deps.notifier.notify(
      notification(
        deps.config,
        group,
        {
          kind: 'refresh.failed',
          severity: 'critical',
          title: `${what}: ${consequence} (no drain headroom: ${names})`,
        },
        { services: names, reason: decision.reason },
        ['headroom', decision.fingerprint],
      ),
    );
    if (settled(result)) next = withNotified(state, 'headroom', decision.fingerprint);
  }
  return { ok: false, state: next, reason };
}
