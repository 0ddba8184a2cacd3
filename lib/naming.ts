/**
 * Names traceable to their cluster: every control-plane function and its companions (log group, queues, rules, role)
 * are named `<prefix>-<function>` (e.g. `prod-web-drain-gate`, `prod-web-drain-gate-terminate-lifecycle`), so an
 * operator can tell from any name which cluster it serves; without it they carried one construct-path hash each.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { NodejsFunction } from './function';

/** Longest prefix: function names end in `-agent-monitor-events-dlq` (25 characters) within SQS's 80 / Lambda's 64. */
export const NAME_PREFIX_MAX_LENGTH = 32;

/**
 * IAM `name_prefix` allows 38 characters (Terraform appends a 26-character unique suffix to reach IAM's 64); the
 * prefix keeps as much of the cluster as fits before `-<function>-`.
 */
const ROLE_NAME_PREFIX_MAX_LENGTH = 38;

/**
 * `<prefix>-<function id>` for the function and everything named after it. `truncate` shortens the prefix for the
 * role's name prefix (a prefix only Terraform knows needs an expression for that).
 */
export function nameAfterCluster(
  fn: NodejsFunction,
  prefix: string,
  truncate: (length: number) => string = (length) => prefix.slice(0, length),
): void {
  const id = fn.node.id;
  const base = `${prefix}-${id}`;
  fn.lambdaFunction.functionName = base;
  fn.role.namePrefix = `${truncate(ROLE_NAME_PREFIX_MAX_LENGTH - id.length - 2)}-${id}-`;
  for (const child of fn.node.findAll()) {
    const parent = child.node.scope?.node.id ?? '';
    if (child instanceof CloudwatchLogGroup) child.name = `/aws/lambda/${base}`;
    else if (child instanceof SqsQueue)
      child.name =
        parent === 'EventsDeadLetterQueue'
          ? `${base}-events-dlq`
          : parent === 'EventsBuffer'
            ? `${base}-events`
            : `${base}-dlq`;
    else if (child instanceof CloudwatchEventRule) child.name = `${base}-${parent.replace(/^Trigger-/, '')}`;
    else if (child.node.id === 'Function' && child !== fn.lambdaFunction)
      throw new Error(`unexpected function ${child.node.path}`);
  }
}
