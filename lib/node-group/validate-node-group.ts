import { invalid } from '../validation';
import { renderText } from '../rules';
import { propOf } from './node-group-attributes';
import { NAME, NODE_GROUP_RULES, NodeGroupRule, RESOLVED_NODE_GROUP_RULES, RuleContext } from './node-group-rules';
import { ResolvedNodeGroup } from './resolve-options';

/** The construct's name of a rule's attribute: `NodeGroup[x86].instanceRefresh.maxHealthyPercentage`. */
export function constructProp(groupName: string, attribute: string): string {
  return `NodeGroup[${groupName}].${attribute === NAME ? 'name' : propOf(attribute)}`;
}

/**
 * Validates a resolved node group against the node group rules (lib/node-group/node-group-rules.ts): the constraints
 * AWS documents for Auto Scaling, EC2 launch templates, lifecycle hooks, instance refresh and ECS capacity providers.
 * Values only known to Terraform (tokens) are skipped. Throws the first violation as a ValidationError.
 */
export function validateNodeGroup(
  group: ResolvedNodeGroup,
  ctx: RuleContext,
  rules: readonly NodeGroupRule[] = [...NODE_GROUP_RULES, ...RESOLVED_NODE_GROUP_RULES],
): void {
  for (const rule of rules) {
    const found = rule.check?.(group, ctx);
    if (!found) continue;
    invalid(
      constructProp(group.name, rule.attribute),
      found.value,
      renderText(rule.reason(ctx), 'construct', propOf),
      renderText(rule.fix(ctx), 'construct', propOf),
    );
  }
}
