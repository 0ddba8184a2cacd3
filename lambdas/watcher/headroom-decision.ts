/**
 * No forced stop by default (issue 13): a refresh drains every instance, and ECS cannot drain an instance that runs a
 * task of a service without headroom (lambdas/shared/service-headroom.ts: e.g. desired 1, minimum healthy 100 %,
 * maximum 150 %). Pure. Before the watcher starts a refresh (a rollout, a resumed rollout or a rollback) it refuses
 * when such a service exists; when a refresh someone else started (Terraform's, an operator's) begins, the watcher
 * cancels it — with min 100 % / max 200 % the first terminations come only after the replacements warmed up, so the
 * Started event is in time. Both notify with the service, its numbers and the fix.
 */
import {
  serviceShapeOf,
  servicesWithoutHeadroom,
  type DescribedService,
  type ServiceHeadroom,
} from '../shared/service-headroom';

export type HeadroomDecision =
  | { readonly action: 'PROCEED' }
  | {
      readonly action: 'BLOCK';
      readonly services: readonly ServiceHeadroom[];
      /** One line per service: its numbers and the fix. */
      readonly reason: string;
      /** Changes when the set of blocking services or their numbers change (notify again then). */
      readonly fingerprint: string;
    };

export function decideHeadroom(services: readonly DescribedService[]): HeadroomDecision {
  const blocked = servicesWithoutHeadroom(services.map(serviceShapeOf));
  if (blocked.length === 0) return { action: 'PROCEED' };
  const reason = blocked.map((s) => `${s.reason}. Fix: ${s.fix?.text ?? 'give ECS room for one task'}`).join(' | ');
  const fingerprint = blocked
    .map((s) => `${s.service}:${s.desiredCount}/${s.minimumHealthyPercent}/${s.maximumPercent}`)
    .join(',');
  return { action: 'BLOCK', services: blocked, reason, fingerprint };
}
