/**
 * What the module adds to each of its functions for the settings only Terraform knows (the constructs decide these in
 * TypeScript): the webhook parameter, customer managed KMS keys and the Lambda VPC — optional IAM statements are
 * `dynamic` blocks of the role's policy document, present exactly when their variable is set.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { AwsContext } from '../../lib/aws-context';
import { NodejsFunction } from '../../lib/function';

/** An optional statement: present once per element of `forEach` (a list expression, empty when off). */
function optionalStatement(forEach: string, sid: string, actions: string[], resources: string[], condition?: unknown) {
  return {
    for_each: `\${${forEach}}`,
    iterator: 'item',
    content: { sid, effect: 'Allow', actions, resources, ...(condition ? { condition } : {}) },
  };
}

/** The optional statements of every function of the module. */
function optionalStatements(awsContext: AwsContext) {
  const ssm = `ssm.${awsContext.region}.amazonaws.com`;
  return [
    // AwsContext.ssmParameterArn's form, with the dynamic block's iterator (a raw reference, not a token).
    optionalStatement(
      'var.webhook_parameter_name != null ? [var.webhook_parameter_name] : []',
      'ReadWebhookUrl',
      ['ssm:GetParameter'],
      [
        `arn:${awsContext.partition}:ssm:${awsContext.region}:${awsContext.accountId}:parameter/` +
          '${trimprefix(item.value, "/")}',
      ],
    ),
    // A CMK-encrypted SecureString is decrypted by SSM on the role's behalf.
    optionalStatement(
      'var.webhook_parameter_name != null && var.webhook_kms_key_arn != null ? [var.webhook_kms_key_arn] : []',
      'DecryptWebhookUrl',
      ['kms:Decrypt'],
      ['${item.value}'],
      [{ test: 'StringEquals', variable: 'kms:ViaService', values: [ssm] }],
    ),
    // "To publish to an encrypted topic the publisher needs kms:GenerateDataKey* and kms:Decrypt on the key"
    // (Amazon SNS Developer Guide, "Encryption at rest",
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
    optionalStatement(
      'var.notification_kms_key_arn != null ? [var.notification_kms_key_arn] : []',
      'PublishToEncryptedTopic',
      ['kms:GenerateDataKey*', 'kms:Decrypt'],
      ['${item.value}'],
    ),
    optionalStatement(
      'var.lambda_kms_key_arn != null ? [var.lambda_kms_key_arn] : []',
      'DecryptEnvironment',
      ['kms:Decrypt'],
      ['${item.value}'],
    ),
    // Lambda creates the function's network interfaces with the execution role; these EC2 actions support no
    // resource-level scoping ("AWSLambdaVPCAccessExecutionRole", AWS managed policy reference).
    optionalStatement(
      'length(var.lambda_subnet_ids) > 0 ? [1] : []',
      'ManageVpcNetworkInterfaces',
      [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      ['*'],
    ),
  ];
}

/** Webhook, KMS keys and VPC of one function, from the module's variables. */
export function addModuleFunctionSettings(fn: NodejsFunction, awsContext: AwsContext): void {
  const lambda = fn.lambdaFunction;
  lambda.addOverride(
    'environment.variables.NOTIFY_WEBHOOK_PARAMETER',
    '${var.webhook_parameter_name != null ? var.webhook_parameter_name : ""}',
  );
  lambda.addOverride('kms_key_arn', '${var.lambda_kms_key_arn}');
  lambda.addOverride('dynamic.vpc_config', {
    for_each: '${length(var.lambda_subnet_ids) > 0 ? [1] : []}',
    content: { subnet_ids: '${var.lambda_subnet_ids}', security_group_ids: '${var.lambda_security_group_ids}' },
  });
  const logGroup = fn.node.findChild('LogGroup') as CloudwatchLogGroup;
  logGroup.addOverride('kms_key_id', '${var.log_group_kms_key_arn}');
  const document = fn.node.findChild('RolePolicyDocument') as DataAwsIamPolicyDocument;
  document.addOverride('dynamic.statement', optionalStatements(awsContext));
}
