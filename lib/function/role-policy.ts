/**
 * Least-privilege checks for statements added with {@link NodejsFunction.addToRolePolicy}.
 */
import { Token } from 'cdktf';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { checkNonEmpty, invalid } from '../validation';

const P = 'NodejsFunction.addToRolePolicy';

/**
 * Read-only action names: safe on `*` (many Describe/List calls support no resource-level permissions at all).
 * Mutating actions on `*` need a condition (e.g. `aws:ResourceTag/...` or `ecs:cluster`).
 */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Describe|List|Get|BatchGet)[A-Za-z0-9]*$/;

/** Validates `statement` against the statements already in the document. */
export function validateRoleStatement(
  statement: DataAwsIamPolicyDocumentStatement,
  existing: readonly DataAwsIamPolicyDocumentStatement[],
): void {
  const { actions, resources, effect, condition, sid } = statement;
  if (statement.notActions !== undefined || statement.notResources !== undefined) {
    invalid(
      `${P}.notActions/notResources`,
      statement,
      'NotAction/NotResource grant open-ended access',
      'list the actions and resources explicitly',
    );
  }
  if (statement.principals !== undefined || statement.notPrincipals !== undefined) {
    invalid(`${P}.principals`, statement, 'identity policies have no principals', 'remove principals');
  }
  if (effect !== undefined && !Token.isUnresolved(effect) && effect !== 'Allow' && effect !== 'Deny') {
    invalid(`${P}.effect`, effect, "must be 'Allow' or 'Deny'", "use 'Allow' or 'Deny'");
  }
  checkNonEmpty(`${P}.actions`, actions ?? [], "list the actions, e.g. ['autoscaling:CompleteLifecycleAction']");
  checkNonEmpty(`${P}.resources`, resources ?? [], 'list the resource ARNs the actions apply to');
  if (sid !== undefined && existing.some((s) => s.sid === sid)) {
    invalid(`${P}.sid`, sid, 'is already used in this policy (Sids must be unique)', 'choose another sid');
  }

  const allowsOnWildcard = (effect ?? 'Allow') === 'Allow' && (resources ?? []).includes('*');
  const hasCondition =
    condition !== undefined && (Token.isUnresolved(condition) || (condition as unknown[]).length > 0);
  if (allowsOnWildcard && !hasCondition) {
    const mutating = (actions ?? []).filter((a) => !Token.isUnresolved(a) && !READ_ONLY_ACTION.test(a));
    if (mutating.length > 0) {
      invalid(
        `${P}.resources`,
        { actions: mutating, resources: ['*'] },
        'mutating actions on "*" without a condition would apply to every resource in the account',
        'scope resources to ARNs (e.g. the ASG ARN) or add a condition (e.g. ecs:cluster or aws:ResourceTag/...)',
      );
    }
  }
}
