/**
 * The node group rules (lib/node-group/node-group-rules.ts) as the module renders them: `validation` blocks of the
 * `node_groups` variable whose messages name the failing node groups, and Auto Scaling group preconditions for the
 * rules over the normalized node groups. Nothing here states a rule; it only binds the table to Terraform.
 */
import { ecsOptimizedAmi, EcsOptimizedAmiSpec } from '../../lib/ami/ecs-optimized-parameters';
import { moduleMessage, renderText } from '../../lib/rules';
import { propOf } from '../../lib/node-group/node-group-attributes';
import {
  NAME,
  NODE_GROUP_MAP_RULES,
  NODE_GROUP_RULES,
  NodeGroupMapRule,
  NodeGroupRule,
  RuleContext,
} from '../../lib/node-group/node-group-rules';

/** The module's AMIs are ECS-optimized Amazon Linux 2023 by default: their root snapshot bounds the root volume. */
export const MODULE_RULE_CONTEXT: RuleContext = {
  minimumRootVolumeGiB: (ecsOptimizedAmi('al2023', 'standard', 'x86_64') as EcsOptimizedAmiSpec).minimumRootVolumeGiB,
};

export interface ValidationBlock {
  readonly condition: string;
  readonly message: string;
}

const snake = (text: string) => renderText(text, 'module', propOf);

/** `node_groups["a", "b"].x` with the keys of the node groups (`k`, `g` over `map`) that fail `hcl`. */
function where(rule: NodeGroupRule, map: string, hcl: string): string {
  const failing = `\${join(", ", [for k, g in ${map} : jsonencode(k) if !(${hcl})])}`;
  return rule.attribute === NAME ? `node_groups key ${failing}` : `node_groups[${failing}].${rule.attribute}`;
}

/** A node group rule as a `validation` block of `var.node_groups`. */
export function ruleValidation(rule: NodeGroupRule, ctx: RuleContext = MODULE_RULE_CONTEXT): ValidationBlock {
  const hcl = rule.hcl(ctx);
  return {
    condition: `alltrue([for k, g in var.node_groups : ${hcl}])`,
    message: moduleMessage(where(rule, 'var.node_groups', hcl), snake(rule.reason(ctx)), snake(rule.fix(ctx))),
  };
}

/** A rule over the normalized node group as a precondition of a resource iterated over the node groups. */
export function rulePrecondition(rule: NodeGroupRule, ctx: RuleContext = MODULE_RULE_CONTEXT): ValidationBlock {
  const one = '{ (each.key) = each.value }';
  const hcl = rule.hcl(ctx);
  return {
    condition: `alltrue([for k, g in ${one} : ${hcl}])`,
    message: moduleMessage(where(rule, one, hcl), snake(rule.reason(ctx)), snake(rule.fix(ctx))),
  };
}

/** A rule over the whole map as a `validation` block of `var.node_groups`. */
export function mapRuleValidation(rule: NodeGroupMapRule): ValidationBlock {
  const at = rule.attribute === '(map)' ? 'node_groups' : `node_groups[*].${rule.attribute}`;
  return { condition: rule.hcl('var.node_groups'), message: moduleMessage(at, snake(rule.reason), snake(rule.fix)) };
}

/** Every validation block of `var.node_groups`, in table order. */
export function nodeGroupValidations(): ValidationBlock[] {
  return [
    ...NODE_GROUP_MAP_RULES.filter((rule) => rule.hcl('var.node_groups') !== 'true').map(mapRuleValidation),
    ...NODE_GROUP_RULES.map((rule) => ruleValidation(rule)),
  ];
}
