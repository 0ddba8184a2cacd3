/**
 * The IAM contract, shared by the simulator suite and the handler-test recorder: the synthesized role policies of a
 * reference stack (cluster `prod`, node group `general` → Auto Scaling group `prod-general`, the names the simulator
 * and the test kits use), and a check that every recorded call is allowed by the policy of the function that made it.
 */
import { AmiSource } from '../../../lib/ami/ami-source';
import { synthRollout, type SynthJson } from '../../support/synth';
import { iamRequests, type AwsCall, type RequestContext } from './aws-call-requests';
import { decide, type Decision } from './evaluate';
import { rolePolicies, type AccountContext, type IamPolicy } from './synthesized-policies';

let stack: SynthJson | undefined;

/** The reference stack (synthesized once per test file). */
export function referenceStack(): SynthJson {
  stack ??= synthRollout({ nodeGroups: [{ name: 'general' }] }).json;
  return stack;
}

let watcherStack: SynthJson | undefined;

/**
 * The stack the AMI watcher's test kit is configured like: node group `general` (auto mode) and `gpu` (gitops, the
 * GPU variant of the ECS-optimized AMI), and a pipeline webhook parameter.
 */
export function watcherReferenceStack(): SynthJson {
  watcherStack ??= synthRollout({
    nodeGroups: [
      { name: 'general' },
      { name: 'gpu', amiMode: 'gitops', amiSource: AmiSource.ecsOptimized({ variant: 'gpu' }) },
    ],
    amiWatcher: { pipelineWebhookParameterName: '/ecs-ami-rollout/prod/pipeline-webhook' },
  }).json;
  return watcherStack;
}

/** The synthesized role policies of the reference stack, resolved for one account and Region. */
export function referencePolicies(ctx: AccountContext): Map<string, IamPolicy> {
  return rolePolicies(referenceStack(), ctx);
}

export interface Denial extends Decision {
  readonly call: AwsCall;
}

/**
 * Every request of every call that the function's synthesized policy does not allow. Calls of functions without a
 * synthesized policy (the reference strategies' own functions, calls made outside an invocation) are skipped and
 * returned in `skipped` so the caller can assert on them.
 */
export async function denials(
  calls: readonly AwsCall[],
  policies: Map<string, IamPolicy>,
  ctx: RequestContext,
): Promise<{ denied: Denial[]; evaluated: number; skipped: Set<string> }> {
  const denied: Denial[] = [];
  const skipped = new Set<string>();
  const seen = new Set<string>();
  let evaluated = 0;
  for (const call of calls) {
    const policy = policies.get(call.source);
    if (!policy) {
      skipped.add(call.source);
      continue;
    }
    for (const request of iamRequests(call, ctx)) {
      // One evaluation per distinct request; task and container-instance ids do not change the decision.
      const resource = request.resource.replace(/((?:container-instance|task)\/[^/]+\/)[^/]+$/, '$1<id>');
      const key = `${call.source} ${request.action} ${resource} ${JSON.stringify(request.context)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      evaluated++;
      const decision = await decide(policy, request, ctx.account);
      if (decision.result !== 'Allowed') denied.push({ ...decision, call });
    }
  }
  return { denied, evaluated, skipped };
}

/** A readable line per denial, for failure messages. */
export function describeDenials(denied: readonly Denial[]): string[] {
  return denied.map(
    (d) =>
      `${d.call.source}: ${d.request.action} on ${d.request.resource} ${JSON.stringify(d.request.context)} → ` +
      `${d.result}${d.errors ? ` (${d.errors})` : ''}`,
  );
}
