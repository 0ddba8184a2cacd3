/**
 * Every justified deviation from the scanner rules (checkov, trivy) that the synthesized Terraform of this library
 * shows, listed ONCE, with its reason. The policy suite (`__tests__/security/`) asserts that these are the ONLY
 * deviations: a new `*` resource or a new weakened default fails a test until it is listed here (and reviewed), and an
 * entry that no longer matches anything fails too, so the list never goes stale. `docs/security.md` renders this list.
 *
 * Pure data (no cdktf import), so the docs and tools can read it.
 */

/** An IAM statement whose resource is `*`. */
export interface WildcardResourceException {
  readonly kind: 'iam-wildcard-resource';
  readonly id: string;
  /** Scanner rules that would flag the statement. */
  readonly rules: readonly string[];
  /** Construct ids of the functions whose inline policy holds the statement (`any`: every function that opts in). */
  readonly functions: readonly string[];
  /** `Sid` of the statement in the function's inline policy. */
  readonly sid: string;
  /** The exact actions allowed on `*`. */
  readonly actions: readonly string[];
  /** Whether the statement only appears with an opt-in setting (then it is asserted with that setting). */
  readonly onlyWhen?: string;
  readonly reason: string;
}

/** A default that a scanner rule reports, with the setting that satisfies the rule when a team needs it. */
export interface SettingException {
  readonly kind: 'setting';
  readonly id: string;
  readonly rules: readonly string[];
  /** Where the default lives. */
  readonly resource: string;
  /** How to satisfy the rule instead (or "none" when the library deliberately offers no switch). */
  readonly optIn: string;
  readonly reason: string;
}

export type PolicyException = WildcardResourceException | SettingException;

export const POLICY_EXCEPTIONS: readonly PolicyException[] = [
  {
    kind: 'iam-wildcard-resource',
    id: 'gates-describe-autoscaling',
    rules: ['CKV_AWS_355', 'CKV_AWS_290'],
    functions: ['launch-gate', 'drain-gate'],
    sid: 'DescribeAutoScaling',
    actions: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeAutoScalingInstances',
      'autoscaling:DescribeWarmPool',
    ],
    reason:
      'Auto Scaling Describe* actions support no resource-level permissions ' +
      '(Service Authorization Reference): "*" is the only valid resource; read-only.',
  },
  {
    kind: 'iam-wildcard-resource',
    id: 'launch-gate-describe-instances',
    rules: ['CKV_AWS_355', 'CKV_AWS_290'],
    functions: ['launch-gate'],
    sid: 'DescribeInstances',
    actions: ['ec2:DescribeInstances'],
    reason:
      'EC2 Describe* actions support no resource-level permissions; ' +
      'read-only (launch time, AMI and state of a new instance).',
  },
  {
    kind: 'iam-wildcard-resource',
    id: 'agent-monitor-describe-fleet',
    rules: ['CKV_AWS_355', 'CKV_AWS_290'],
    functions: ['agent-monitor'],
    sid: 'DescribeFleet',
    actions: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeImages'],
    reason:
      'ec2:DescribeImages and autoscaling:DescribeAutoScalingGroups ' +
      'support no resource-level permissions; read-only (AMI drift report).',
  },
  {
    kind: 'iam-wildcard-resource',
    id: 'ami-watcher-describe-fleet',
    rules: ['CKV_AWS_355', 'CKV_AWS_290'],
    functions: ['ami-watcher'],
    sid: 'DescribeFleet',
    actions: [
      'ec2:DescribeImages',
      'ec2:DescribeInstances',
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeInstanceRefreshes',
      'autoscaling:DescribeScalingActivities',
    ],
    reason:
      'These Describe* actions support no resource-level permissions; read-only ' +
      '(candidate AMI facts, fleet AMIs, refresh status, the launches a refresh is judged by). SSM also calls ' +
      'ec2:DescribeImages as this role to validate aws:ec2:image parameter writes.',
  },
  {
    kind: 'iam-wildcard-resource',
    id: 'ami-watcher-list-services',
    rules: ['CKV_AWS_355', 'CKV_AWS_290'],
    functions: ['ami-watcher'],
    sid: 'ListClusterServices',
    actions: ['ecs:ListServices'],
    reason:
      'ListServices supports no resource-level permissions; read-only, and the ecs:cluster condition limits it ' +
      'to the module cluster (drain-headroom check before a refresh).',
  },
  {
    kind: 'iam-wildcard-resource',
    id: 'xray-put-traces',
    rules: ['CKV_AWS_355', 'CKV_AWS_290'],
    functions: ['any'],
    sid: 'WriteXRayTraces',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    onlyWhen: 'NodejsFunctionProps.tracingMode = "Active"',
    reason:
      'X-Ray write actions support no resource-level permissions and no condition keys; the same ' +
      'grant as the AWSXRayDaemonWriteAccess managed policy. Only present when tracing is Active.',
  },
  {
    kind: 'setting',
    id: 'lambda-tracing-passthrough',
    rules: ['CKV_AWS_50'],
    resource: 'aws_lambda_function.tracing_config.mode = "PassThrough"',
    optIn: 'NodejsFunctionProps.tracingMode: "Active" (grants the X-Ray statement above)',
    reason:
      'The functions are small control loops that log one structured line per decision; ' +
      'X-Ray costs money per trace and adds the only mutating "*" grant, so it is opt-in.',
  },
  {
    kind: 'setting',
    id: 'lambda-reserved-concurrency-unset',
    rules: ['CKV_AWS_115'],
    resource: 'aws_lambda_function.reserved_concurrent_executions = -1 (unreserved)',
    optIn: 'functions.reservedConcurrency (every function of the product)',
    reason:
      'AWS keeps at least 100 executions of an account unreserved (PutFunctionConcurrency), so a reservation fails ' +
      'to apply in accounts with a low concurrency limit; the gates take their events in batches from SQS with a ' +
      'bounded mapping concurrency, so they need no reservation to stay correct.',
  },
  {
    kind: 'setting',
    id: 'lambda-environment-aws-managed-key',
    rules: ['CKV_AWS_173'],
    resource: 'aws_lambda_function.kms_key_arn unset (environment encrypted with aws/lambda)',
    optIn: 'NodejsFunctionProps.environmentKmsKeyArn (the role gets kms:Decrypt on that key)',
    reason:
      'The environment holds configuration only (cluster/ASG names, ARNs, parameter NAMES); ' +
      'secrets are rejected by validation and the webhook URL is read from SSM at run time.',
  },
  {
    kind: 'setting',
    id: 'log-group-default-encryption',
    rules: ['CKV_AWS_158'],
    resource: 'aws_cloudwatch_log_group.kms_key_id unset (CloudWatch Logs service-side encryption)',
    optIn: 'NodejsFunctionProps.logGroupKmsKeyArn',
    reason:
      'Log lines carry instance ids, ASG names and decisions, no secrets; a CMK ' +
      'needs a key policy for logs.<region>.amazonaws.com that the library cannot own.',
  },
  {
    kind: 'setting',
    id: 'log-retention-30-days',
    rules: ['CKV_AWS_338'],
    resource: 'aws_cloudwatch_log_group.retention_in_days = 30',
    optIn: 'gates.logRetentionDays / agentMonitor.logRetentionDays / amiWatcher.logRetentionDays (e.g. 365)',
    reason:
      'Operational logs of a control loop; 30 days covers incident ' +
      'review. Retention is always set (CKV_AWS_66), never infinite.',
  },
  {
    kind: 'setting',
    id: 'sns-aws-managed-key',
    rules: ['AVD-AWS-0136'],
    resource: 'aws_sns_topic.kms_master_key_id = "alias/aws/sns"',
    optIn: 'notifications.topicKmsKeyId (a customer managed key) or notifications.existingTopicArn',
    reason: 'Encrypted at rest (CKV_AWS_26 passes); the AWS managed key needs no key policy. Trivy asks for a CMK.',
  },
  {
    kind: 'setting',
    id: 'sqs-managed-sse',
    rules: ['AVD-AWS-0135'],
    resource: 'aws_sqs_queue.sqs_managed_sse_enabled = true (the DLQs)',
    optIn: 'none',
    reason:
      'SSE-SQS encrypts at rest without a key policy. The AWS managed key aws/sqs would ' +
      'not work: its key policy cannot grant EventBridge, which writes to the events DLQ.',
  },
  {
    kind: 'setting',
    id: 'lambda-outside-vpc',
    rules: ['CKV_AWS_117'],
    resource: 'aws_lambda_function without vpc_config',
    optIn: 'none',
    reason:
      'The functions only call AWS APIs (ECS, Auto Scaling, EC2, ' +
      'SSM, SNS); a VPC would add NAT or endpoints and no protection.',
  },
  {
    kind: 'setting',
    id: 'lambda-no-code-signing',
    rules: ['CKV_AWS_272'],
    resource: 'aws_lambda_function without code_signing_config_arn',
    optIn: 'none',
    reason:
      'The code is bundled reproducibly from this repository at synth time and ' +
      'deployed by Terraform from a local ZIP; there is no artifact hand-off to sign.',
  },
  {
    kind: 'setting',
    id: 'ssm-parameters-plain-string',
    rules: ['CKV2_AWS_34'],
    resource:
      'aws_ssm_parameter type "String" (approved/previous AMI, watcher pause/deny list/state, agent monitor state)',
    optIn: 'none',
    reason:
      'They hold AMI ids (data_type aws:ec2:image, which SecureString does not support), a pause switch, a deny ' +
      'list and state digests: no secrets. Webhook URLs live in parameters the operator creates as SecureString.',
  },
];

/** The exceptions of one kind. */
export function exceptionsOfKind<K extends PolicyException['kind']>(kind: K): Extract<PolicyException, { kind: K }>[] {
  return POLICY_EXCEPTIONS.filter((e): e is Extract<PolicyException, { kind: K }> => e.kind === kind);
}
