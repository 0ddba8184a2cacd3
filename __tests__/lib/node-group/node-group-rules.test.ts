/**
 * One table, rendered twice: every node group rule (lib/node-group/node-group-rules.ts) is the NodeGroup construct's
 * synth-time error AND the plain module's `validation` block. A rule changed in the table changes both.
 */
import { TerraformStack, Testing } from 'cdktf';
import { NodeGroup } from '../../../lib/node-group/node-group';
import { propOf } from '../../../lib/node-group/node-group-attributes';
import { renderText } from '../../../lib/rules';
import { NodeGroupOptions } from '../../../lib/node-group/node-group-props';
import { NODE_GROUP_RULES, RESOLVED_NODE_GROUP_RULES } from '../../../lib/node-group/node-group-rules';
import { MODULE_RULE_CONTEXT, nodeGroupValidations, ruleValidation } from '../../../scripts/module/node-group-rules';

const VALID: NodeGroupOptions = {
  name: 'x86',
  subnetIds: ['subnet-0000000000000000a'],
  securityGroupIds: ['sg-0000000000000000a'],
};
const cluster = { clusterName: 'test', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/test' };

function constructError(example: Partial<NodeGroupOptions>): string {
  const stack = new TerraformStack(Testing.app(), 'stack');
  try {
    new NodeGroup(stack, 'group', { ...VALID, ...example, cluster, instanceProfileName: 'profile' });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`the construct accepted ${JSON.stringify(example)}`);
}

const checked = [...NODE_GROUP_RULES, ...RESOLVED_NODE_GROUP_RULES].filter((rule) => rule.check);

test('nearly every rule is checked by the construct too; the rest exist only because HCL types are looser', () => {
  expect(checked.length).toBeGreaterThanOrEqual(45);
  const moduleOnly = NODE_GROUP_RULES.filter((rule) => !rule.check).map((rule) => rule.attribute);
  expect(moduleOnly).toEqual(['ami_id']);
});

test.each(checked.map((rule) => [`${rule.attribute}: ${rule.reason(MODULE_RULE_CONTEXT)}`, rule] as const))(
  'the construct rejects the example of %s with the rule',
  (_title, rule) => {
    // GIVEN the rule's example WHEN the construct validates it THEN it fails with the rule's reason and fix
    expect(rule.example).toBeDefined();
    const message = constructError(rule.example!);
    const construct = (text: string) => renderText(text, 'construct', propOf);
    expect(message).toContain(
      `— ${construct(rule.reason(MODULE_RULE_CONTEXT))}. Fix: ${construct(rule.fix(MODULE_RULE_CONTEXT))}.`,
    );
  },
);

test('module messages name the failing node groups, then the reason and the fix, in snake_case', () => {
  for (const block of nodeGroupValidations()) {
    expect(block.message).toMatch(/^Invalid node_groups[^:]*: .+\. Fix: .+\.$/);
    expect(block.message).not.toMatch(/\b[a-z]+[A-Z][a-zA-Z]*\b/);
  }
  const rule = NODE_GROUP_RULES.find((r) => r.attribute === 'instance_refresh.max_healthy_percentage')!;
  expect(ruleValidation(rule).message).toBe(
    'Invalid node_groups[${join(", ", [for k, g in var.node_groups : jsonencode(k) if !(' +
      'floor(g.instance_refresh.max_healthy_percentage) == g.instance_refresh.max_healthy_percentage && ' +
      'g.instance_refresh.max_healthy_percentage >= 100 && g.instance_refresh.max_healthy_percentage <= 200)])}]' +
      '.instance_refresh.max_healthy_percentage: must be an integer between 100 and 200. ' +
      'Fix: use 100–200 (200 launches replacements before terminating).',
  );
});

test('a rule changed in the table changes both the synth-time error and the module validation message', () => {
  // GIVEN the max-healthy range rule, reworded in the one place it is defined
  const rule = NODE_GROUP_RULES.find((r) => r.attribute === 'instance_refresh.max_healthy_percentage')!;
  const original = rule.reason;
  (rule as { reason: typeof rule.reason }).reason = () => 'must stay between 100 and 200 (reworded for this test)';
  try {
    // WHEN the construct validates a bad value and the module renders its validation blocks
    const synthError = constructError({ instanceRefresh: { maxHealthyPercentage: 250 } });
    const moduleMessages = nodeGroupValidations().map((block) => block.message);
    // THEN both carry the new wording, and the old one is gone from both
    expect(synthError).toContain('— must stay between 100 and 200 (reworded for this test). Fix:');
    expect(
      moduleMessages.filter((m) => m.includes('must stay between 100 and 200 (reworded for this test)')),
    ).toHaveLength(1);
    expect(
      moduleMessages.some((m) => m.includes('max_healthy_percentage: must be an integer between 100 and 200')),
    ).toBe(false);
  } finally {
    (rule as { reason: typeof rule.reason }).reason = original;
  }
});
