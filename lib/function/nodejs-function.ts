/**
 * `NodejsFunction`: a TypeScript Lambda handler — prebuilt at pack time or bundled with esbuild at synth time —
 * deployed with everything a production function needs: its own log group with retention, a DLQ for failed
 * asynchronous invocations, an execution role with least-privilege inline policy, and EventBridge triggers.
 */
import { Construct } from 'constructs';
import { Annotations, AssetType, TerraformAsset, Token } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { BundleResult } from './bundler';
import { createEventBridgeTrigger, EventBridgeDeadLetterQueue } from './eventbridge-trigger';
import { resolveFunctionCode } from './function-code';
import { deterministicName } from './names';
import {
  ASYNC_MAXIMUM_RETRY_ATTEMPTS,
  DLQ_MESSAGE_RETENTION_SECONDS,
  NODEJS_FUNCTION_DEFAULTS as D,
  type Bundling,
  type EventBridgeTriggerOptions,
  type NodejsFunctionProps,
} from './props';
import { validateRoleStatement } from './role-policy';
import { validateNodejsFunctionProps, validateTriggerOptions } from './validate-props';

/** Runtime and architecture are fixed: the provider (hashicorp/aws 5.100.0) does not accept nodejs24.x yet. */
export const LAMBDA_RUNTIME = 'nodejs22.x';
export const LAMBDA_ARCHITECTURE = 'arm64';
/** Every bundle is `index.js` exporting `handler`. */
export const LAMBDA_HANDLER = 'index.handler';

/**
 * A Node.js 22 / arm64 Lambda function built from a TypeScript entry file: the product's handlers deploy the
 * prebuilt bundles shipped in the package, your own handlers are bundled with esbuild at synth time.
 *
 * Resources: `aws_lambda_function`, `aws_cloudwatch_log_group` (`/aws/lambda/<name>`), `aws_sqs_queue` (DLQ),
 * `aws_lambda_function_event_invoke_config`, `aws_iam_role` + `aws_iam_role_policy`, and per
 * {@link addEventBridgeTrigger} a rule, target and permission (plus one shared SQS DLQ for the rules).
 *
 * Terraform note: the code is a local ZIP (`filename`) copied into `cdktf.out/stacks/<stack>/assets/...` and referenced
 * by a path relative to the stack directory; Terraform only updates the code when `filename` or `source_code_hash`
 * change, so both derive from the ZIP's content (the ZIP is byte-for-byte reproducible). CloudFormation-based CDK
 * instead uploads an asset to the bootstrap bucket.
 */
export class NodejsFunction extends Construct {
  /** Function name (token: references create a Terraform dependency). */
  public readonly functionName: string;
  /** Function ARN (token). */
  public readonly functionArn: string;
  /** Execution role (`.name`, `.arn`). */
  public readonly role: IamRole;
  /** Name of the function's log group, `/aws/lambda/<functionName>` (token). */
  public readonly logGroupName: string;
  /** ARN of the function's log group, without the trailing `:*` (token). */
  public readonly logGroupArn: string;
  /** ARN of the SQS queue receiving failed asynchronous invocations (token). */
  public readonly deadLetterQueueArn: string;
  /** The underlying `aws_lambda_function`, as an escape hatch. */
  public readonly lambdaFunction: LambdaFunction;
  /** The bundle that was deployed (path, hashes, sizes). */
  public readonly bundle: BundleResult;
  /** Whether the code is the package's prebuilt bundle or was bundled from source at synth time. */
  public readonly bundling: Bundling;

  /** Literal name used for derived names (the function name if it is a literal, else the construct id). */
  private readonly readableName: string;
  /** The function name as configured (literal or token), for names of companion resources. */
  private readonly configuredName: string;
  private readonly policyStatements: DataAwsIamPolicyDocumentStatement[] = [];
  private readonly policyDocument: DataAwsIamPolicyDocument;
  private eventsDeadLetterQueue?: EventBridgeDeadLetterQueue;

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    validateNodejsFunctionProps(props);

    const name = props.functionName ?? deterministicName(id, this.node.path, 64);
    this.configuredName = name;
    this.readableName = Token.isUnresolved(name) ? id : name;
    const tracingMode = props.tracingMode ?? D.tracingMode;

    // --- code -------------------------------------------------------------------------------------------------------
    const code = resolveFunctionCode(props);
    this.bundle = code.bundle;
    this.bundling = code.bundling;
    code.warnings.forEach((w) => Annotations.of(this).addWarning(w));
    // FILE, not ARCHIVE: the bundle is already a deterministic ZIP (cdktf's ARCHIVE zips with file mtimes).
    const asset = new TerraformAsset(this, 'Code', {
      path: this.bundle.zipPath,
      type: AssetType.FILE,
      assetHash: this.bundle.zipSha256Hex.slice(0, 32),
    });

    // --- logs -------------------------------------------------------------------------------------------------------
    // Terraform note: created explicitly (and depended on) so retention applies from the first invocation; left to
    // Lambda, the group would be created on first write with infinite retention and be unmanaged by Terraform.
    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: `/aws/lambda/${name}`,
      retentionInDays: props.logRetentionDays ?? D.logRetentionDays,
      kmsKeyId: props.logGroupKmsKeyArn,
    });
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;

    // --- dead-letter queue for failed asynchronous invocations ------------------------------------------------
    const dlq = new SqsQueue(this, 'DeadLetterQueue', {
      name: `${name}-dlq`,
      messageRetentionSeconds: DLQ_MESSAGE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    this.deadLetterQueueArn = dlq.arn;

    // --- IAM --------------------------------------------------------------------------------------------------------
    const trust = new DataAwsIamPolicyDocument(this, 'AssumeRolePolicy', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        },
      ],
    });
    // IAM role names are global per account while function names are regional: a prefix + Terraform's unique
    // suffix lets the same stack deploy to several regions. name_prefix allows at most 38 characters.
    this.role = new IamRole(this, 'Role', {
      namePrefix: `${this.readableName.slice(0, 37)}-`,
      description: `Execution role of Lambda function ${name}`,
      assumeRolePolicy: trust.json,
    });
    this.policyDocument = new DataAwsIamPolicyDocument(this, 'RolePolicyDocument', {});
    const rolePolicy = new IamRolePolicy(this, 'RolePolicy', {
      name: 'function-execution',
      role: this.role.id,
      policy: this.policyDocument.json,
    });
    this.addStatement({
      sid: 'WriteOwnLogGroup',
      effect: 'Allow',
      // No logs:CreateLogGroup: Terraform owns the group. Streams live under "<group ARN>:log-stream:<name>".
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroup.arn}:*`],
    });
    this.addStatement({
      sid: 'SendFailedInvocationsToDlq',
      effect: 'Allow',
      actions: ['sqs:SendMessage'],
      resources: [dlq.arn],
    });
    if (tracingMode === 'Active') {
      this.addStatement({
        sid: 'WriteXRayTraces',
        effect: 'Allow',
        // X-Ray's write actions support no resource-level permissions: "*" is the only valid resource.
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      });
    }
    if (props.environmentKmsKeyArn !== undefined) {
      this.addStatement({
        sid: 'DecryptEnvironment',
        effect: 'Allow',
        // With a customer managed key, Lambda decrypts the environment at cold start with the execution role.
        actions: ['kms:Decrypt'],
        resources: [props.environmentKmsKeyArn],
      });
    }

    // --- function ---------------------------------------------------------------------------------------------------
    this.lambdaFunction = new LambdaFunction(this, 'Function', {
      functionName: name,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: LAMBDA_HANDLER,
      filename: asset.path,
      sourceCodeHash: this.bundle.zipSha256Base64,
      memorySize: props.memorySizeMb ?? D.memorySizeMb,
      timeout: props.timeoutSeconds ?? D.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? D.reservedConcurrentExecutions,
      tracingConfig: { mode: tracingMode },
      environment: environmentBlock(props.environment ?? {}, props.sourceMap ?? D.sourceMap),
      kmsKeyArn: props.environmentKmsKeyArn,
      deadLetterConfig: { targetArn: dlq.arn },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      // The group must exist (with retention) and the role may write to it before the first invocation.
      dependsOn: [logGroup, rolePolicy],
    });
    this.functionName = this.lambdaFunction.functionName;
    this.functionArn = this.lambdaFunction.arn;

    // Terraform note: CDK sets retryAttempts / maxEventAge as function props; in Terraform the asynchronous invocation
    // settings are a separate resource. Without it Lambda keeps retrying events for up to 6 hours.
    new LambdaFunctionEventInvokeConfig(this, 'EventInvokeConfig', {
      functionName: this.lambdaFunction.functionName,
      maximumRetryAttempts: ASYNC_MAXIMUM_RETRY_ATTEMPTS,
      maximumEventAgeInSeconds: props.maximumEventAgeSeconds ?? D.maximumEventAgeSeconds,
    });
  }

  /**
   * Adds a statement to the role's inline policy (one `aws_iam_role_policy` built with `aws_iam_policy_document`, so
   * all statements share one document; the data source is evaluated locally by the provider, without AWS calls).
   *
   * Least privilege is enforced: `actions` and `resources` are required, `Sid`s must be unique, and a `*` resource
   * without a condition is only accepted for read-only actions (`Describe*`, `List*`, `Get*`).
   */
  public addToRolePolicy(statement: DataAwsIamPolicyDocumentStatement): void {
    validateRoleStatement(statement, this.policyStatements);
    this.addStatement(statement);
  }

  /**
   * Invokes the function from an EventBridge rule on the default bus (an event pattern or a schedule). The target
   * retries per `maximumRetryAttempts` / `maximumEventAgeSeconds` and then sends the event to an SQS DLQ shared by the
   * function's rules (`<name>-events-dlq`); the Lambda permission is scoped to the rule's ARN.
   *
   * @param id construct id of the trigger, unique within this function; part of the derived rule name
   * @returns the rule (`aws_cloudwatch_event_rule`)
   */
  public addEventBridgeTrigger(id: string, options: EventBridgeTriggerOptions): CloudwatchEventRule {
    validateTriggerOptions(id, options);
    this.eventsDeadLetterQueue ??= new EventBridgeDeadLetterQueue(
      this,
      'EventsDeadLetterQueue',
      `${this.configuredName}-events-dlq`,
    );
    return createEventBridgeTrigger(
      { triggerId: id, scope: new Construct(this, `Trigger-${id}`) },
      { functionArn: this.functionArn, functionName: this.functionName, readableName: this.readableName },
      this.eventsDeadLetterQueue,
      options,
    );
  }

  /** Adds a statement without the least-privilege checks (for the construct's own, reviewed statements). */
  private addStatement(statement: DataAwsIamPolicyDocumentStatement): void {
    this.policyStatements.push(statement);
    this.policyDocument.putStatement([...this.policyStatements]);
  }
}

/**
 * The `environment` block: the variables, plus `--enable-source-maps` in NODE_OPTIONS when the map ships (stack traces
 * then point at the TypeScript sources). No block when there are no variables.
 */
function environmentBlock(
  environment: Readonly<Record<string, string>>,
  sourceMap: boolean,
): { variables: Record<string, string> } | undefined {
  const variables = sourceMap ? withSourceMaps(environment) : { ...environment };
  return Object.keys(variables).length > 0 ? { variables } : undefined;
}

function withSourceMaps(environment: Readonly<Record<string, string>>): Record<string, string> {
  const current = environment.NODE_OPTIONS;
  if (current !== undefined && Token.isUnresolved(current)) return { ...environment };
  const options = current?.includes('--enable-source-maps')
    ? current
    : [current, '--enable-source-maps'].filter(Boolean).join(' ');
  return { ...environment, NODE_OPTIONS: options };
}
