/**
 * The module's node_groups validation rules say what the NodeGroup construct says: for every rule with a construct
 * counterpart, the construct rejects the rule's example with the same reason and fix (prop names in camelCase there).
 */
import { TerraformStack, Testing } from 'cdktf';
import { NodeGroup } from '../../lib/node-group/node-group';
import { NodeGroupOptions } from '../../lib/node-group/node-group-props';
import { NODE_GROUP_RULES, ruleMessage } from '../../scripts/module/node-group-rules';

const VALID: NodeGroupOptions = { name: 'x86', subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] };
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

describe('node_groups validation rules', () => {
  const mirrored = NODE_GROUP_RULES.filter((rule) => rule.construct);

  test('most rules mirror a construct validation', () => {
    expect(mirrored.length).toBeGreaterThanOrEqual(30);
  });

  test.each(mirrored.map((rule) => [`${rule.attribute}: ${rule.reason}`, rule] as const))('%s', (_title, rule) => {
    // GIVEN the rule's example WHEN the construct validates it THEN it fails with the rule's reason and fix
    const message = constructError(rule.construct!.example);
    expect(message).toContain(`— ${rule.construct!.reason ?? rule.reason}`);
    expect(message).toContain(`Fix: ${rule.construct!.fix ?? rule.fix}.`);
  });

  test('module messages name the attribute, then the reason and fix, as complete sentences', () => {
    for (const rule of NODE_GROUP_RULES) {
      expect(ruleMessage(rule)).toMatch(/^Invalid node_groups[^:]*: .+\. Fix: .+\.$/);
    }
  });

  test('reasons with camelCase prop names in the construct use the module spelling in the module', () => {
    for (const rule of NODE_GROUP_RULES) expect(`${rule.reason} ${rule.fix}`).not.toMatch(/\b[a-z]+[A-Z][a-zA-Z]*\b/);
  });
});
