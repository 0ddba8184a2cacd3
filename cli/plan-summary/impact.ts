/**
 * The impact of replacing or deleting an Auto Scaling group, a capacity provider or a launch template on the
 * instances running now (the plan's prior state), derived from the plan and from how Terraform and the provider act:
 *   - deleting a group: the provider sets min, max and desired capacity to 0 and waits for every instance to terminate
 *     before DeleteAutoScalingGroup (`drainGroup` in hashicorp/aws internal/service/autoscaling/group.go): all of
 *     them terminate together, none is replaced rolling;
 *   - a replacement without create_before_destroy (`["delete","create"]`) deletes first: the new group launches only
 *     after the old one is gone; with it (`["create","delete"]`) the new group exists first;
 *   - Terraform destroys a resource after every resource that refers to it: a hook resource or capacity provider of
 *     the group goes BEFORE the group's instances terminate, so its draining is gone by then (Terraform: "Resource
 *     Graph", https://developer.hashicorp.com/terraform/internals/graph);
 *   - a hook that stays on the old group (its initial hook, or a hook resource moved to another group) still holds
 *     each instance; then it is drained only if a drain rule still matches the old group after the apply — a rule that
 *     stops matching it in the same apply has nothing ordering it after those instances are gone.
 * Pure.
 */
import { hooksOf, drainRulesOf, managedDrainingOf, ruleMatches, asgNameOfProvider } from './drain-path';
import { PlanResourceChange, actionOf, at } from './plan-json';

export type Termination = 'together' | 'together, new group first' | 'none';

export interface GroupImpact {
  /** The node group (the module's `ecs-ami-rollout:node-group` tag, else the ASG name). */
  readonly nodeGroup: string;
  readonly asgName: string;
  /** `replace` or `delete` of the group; `none` when only its provider or launch template goes. */
  readonly groupAction: 'replace' | 'delete' | 'none';
  readonly addresses: string[];
  /** Running instances now (prior `desired_capacity`). */
  readonly instances: number;
  readonly termination: Termination;
  readonly drained: 'drain gate' | 'ECS managed draining' | 'no' | 'not reliably' | 'n/a';
  /** Why, in plain words. */
  readonly drainReason: string;
  readonly forcedBy: string[];
  readonly alternative?: string;
}

const REMOVAL_ALTERNATIVE =
  'take the group out of placements (capacity_provider weight 0), set its container instances to DRAINING, and ' +
  'remove it once it is empty (docs/terraform-module.md, "Removing a node group without stopping a task undrained")';
const REPLACEMENT_ALTERNATIVE =
  'add the new group next to the old one (a new node group key), move the capacity, then remove the old group ' +
  'drained (docs/terraform-module.md, "Removing a node group without stopping a task undrained")';
const HOOK_ALTERNATIVE =
  'change hooks through aws_autoscaling_lifecycle_hook resources (updated in place) and ignore changes to ' +
  'initial_lifecycle_hook (docs/terraform-module.md, "Lifecycle hooks")';

function drainAtDeletion(
  changes: readonly PlanResourceChange[],
  asgName: string,
  deleteTimeout: string | undefined,
): Pick<GroupImpact, 'drained' | 'drainReason'> {
  const byAddress = new Map(changes.map((rc) => [rc.address, rc]));
  const hooks = hooksOf(changes, 'before').filter((h) => h.asgName === asgName);
  // A hook resource deleted or replaced in this plan refers to the group: it is destroyed before the group.
  const kept = hooks.filter((h) => {
    const rc = byAddress.get(h.address)!;
    if (rc.type === 'aws_autoscaling_group') return true;
    return actionOf(rc) !== 'delete' && actionOf(rc) !== 'replace';
  });
  const provider = changes.find(
    (rc) =>
      rc.type === 'aws_ecs_capacity_provider' && rc.change.before && asgNameOfProvider(rc.change.before) === asgName,
  );
  const managed = managedDrainingOf(changes, 'before').get(asgName) === true;
  if (managed && provider && !['delete', 'replace'].includes(actionOf(provider)))
    return { drained: 'ECS managed draining', drainReason: 'its capacity provider keeps ECS managed draining' };
  const managedGone = managed ? '; ECS managed draining goes with the capacity provider, deleted first' : '';
  if (kept.length === 0) {
    const why = hooks.length > 0 ? 'its terminate hook is deleted first' : 'it has no terminate hook';
    return {
      drained: 'no',
      drainReason: `${why}${managedGone}: ECS stops their tasks when the instances terminate`,
    };
  }
  const before = drainRulesOf(changes, 'before').filter((r) => ruleMatches(r, asgName));
  const after = drainRulesOf(changes, 'after').filter((r) => ruleMatches(r, asgName));
  const hook = kept[0];
  const wait =
    `wait in Terminating:Wait for the heartbeat (${hook.heartbeatSeconds ?? '?'} s) ` +
    `and then ${hook.defaultResult ?? '?'}`;
  if (after.length > 0)
    return {
      drained: 'drain gate',
      drainReason:
        `hook \`${hook.name}\` and drain rule kept, but all at once, and the provider waits for them only up to ` +
        `its delete timeout${deleteTimeout ? ` (${deleteTimeout})` : ''}`,
    };
  if (before.length > 0)
    return {
      drained: 'not reliably',
      drainReason:
        `the drain rule stops matching \`${asgName}\` in the same apply, with nothing ordering that after its ` +
        `instances are gone: instances whose terminate event comes later ${wait}`,
    };
  return { drained: 'no', drainReason: `no drain rule matches \`${asgName}\`: its instances ${wait}` };
}

function nodeGroupOf(asg: PlanResourceChange, asgName: string): string {
  const tags = (at(asg.change.before, 'tag') as { key: string; value: string }[] | undefined) ?? [];
  return tags.find((t) => t.key === 'ecs-ami-rollout:node-group')?.value ?? asgName;
}

function deleteTimeoutOf(asg: PlanResourceChange): string | undefined {
  const timeout = at(asg.change.before, 'timeouts', 'delete');
  return typeof timeout === 'string' && timeout !== '' ? timeout : undefined;
}

const isDestroyed = (rc: PlanResourceChange) => ['delete', 'replace'].includes(actionOf(rc));

export function groupImpacts(changes: readonly PlanResourceChange[]): GroupImpact[] {
  const impacts: GroupImpact[] = [];
  const groups = changes.filter((rc) => rc.type === 'aws_autoscaling_group' && rc.change.before !== null);
  for (const asg of groups) {
    const asgName = String(at(asg.change.before, 'name'));
    const arn = String(at(asg.change.before, 'arn') ?? '');
    const ltId = String(at(asg.change.before, 'launch_template', 0, 'id') ?? '');
    const related = changes.filter(
      (rc) =>
        isDestroyed(rc) &&
        ((rc.type === 'aws_ecs_capacity_provider' &&
          (asgNameOfProvider(rc.change.before ?? {}) === asgName ||
            (arn !== '' &&
              at(rc.change.before, 'auto_scaling_group_provider', 0, 'auto_scaling_group_arn') === arn))) ||
          (rc.type === 'aws_launch_template' && ltId !== '' && at(rc.change.before, 'id') === ltId)),
    );
    const groupAction = actionOf(asg);
    if (!isDestroyed(asg) && related.length === 0) continue;
    const instances = Number(at(asg.change.before, 'desired_capacity') ?? 0);
    const forcedBy = (asg.change.replace_paths ?? []).map((p) => p.join('.'));
    if (!isDestroyed(asg)) {
      impacts.push({
        nodeGroup: nodeGroupOf(asg, asgName),
        asgName,
        groupAction: 'none',
        addresses: related.map((rc) => rc.address),
        instances,
        termination: 'none',
        drained: 'n/a',
        drainReason: 'the group stays: no instance terminates because of this',
        forcedBy: related.flatMap((rc) => (rc.change.replace_paths ?? []).map((p) => p.join('.'))),
      });
      continue;
    }
    const createFirst = asg.change.actions[0] === 'create';
    impacts.push({
      nodeGroup: nodeGroupOf(asg, asgName),
      asgName,
      groupAction: groupAction === 'replace' ? 'replace' : 'delete',
      addresses: [asg.address, ...related.map((rc) => rc.address)],
      instances,
      termination: createFirst ? 'together, new group first' : 'together',
      ...drainAtDeletion(changes, asgName, deleteTimeoutOf(asg)),
      forcedBy,
      alternative:
        groupAction === 'delete'
          ? REMOVAL_ALTERNATIVE
          : forcedBy.some((p) => p.startsWith('initial_lifecycle_hook'))
            ? HOOK_ALTERNATIVE
            : REPLACEMENT_ALTERNATIVE,
    });
  }
  return impacts;
}
