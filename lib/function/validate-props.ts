/**
 * Constructor-time validation of {@link NodejsFunctionProps} and {@link EventBridgeTriggerOptions}. Every check skips
 * unresolved tokens (see `lib/validation.ts`); errors name the prop, the bad value and the fix.
 */
import { Token } from 'cdktf';
import { checkIntegerRange, checkName, checkNonEmpty, checkOneOf, invalid, isUncheckable } from '../validation';
import {
  LOG_RETENTION_DAYS,
  type Bundling,
  type EventBridgeTriggerOptions,
  type NodejsFunctionProps,
  type TracingMode,
} from './props';

const P = 'NodejsFunction';

/** Lambda's limit for all environment variable names and values together. */
const ENVIRONMENT_MAX_BYTES = 4096;

/** Variables the Lambda runtime sets itself; `CreateFunction` rejects them. */
const RESERVED_ENVIRONMENT_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** Names that suggest a secret value, unless they merely reference one (`DB_PASSWORD_SECRET_ARN`). */
const SECRET_LIKE_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
const SECRET_REFERENCE_SUFFIX = /_(ARN|NAME|ID|PARAMETER)$/i;

/** Validates function props (after nothing has been defaulted: `undefined` means "use the default"). */
export function validateNodejsFunctionProps(props: NodejsFunctionProps): void {
  checkNonEmpty(`${P}.entry`, props.entry, 'set entry to the handler file, e.g. lambdas/<name>/index.ts');
  if (!isUncheckable(props.entry) && !/\.(ts|mts|cts|js|mjs|cjs)$/.test(props.entry)) {
    invalid(
      `${P}.entry`,
      props.entry,
      'must be a .ts or .js file',
      'point entry at the handler source file, not a directory',
    );
  }
  checkName(
    `${P}.functionName`,
    props.functionName,
    { maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, allowedChars: 'letters, digits, "-" and "_"' },
    'shorten functionName or remove the other characters (or omit it to derive one)',
  );
  if (!isUncheckable(props.description) && props.description!.length > 256) {
    invalid(`${P}.description`, props.description, 'must be at most 256 characters', 'shorten description');
  }
  checkIntegerRange(
    `${P}.memorySizeMb`,
    props.memorySizeMb,
    128,
    10240,
    'use a memory size between 128 and 10240 MB',
    "Lambda's limits",
  );
  checkIntegerRange(
    `${P}.timeoutSeconds`,
    props.timeoutSeconds,
    1,
    900,
    'use a timeout between 1 and 900 seconds',
    "Lambda's maximum is 900",
  );
  checkIntegerRange(
    `${P}.reservedConcurrentExecutions`,
    props.reservedConcurrentExecutions,
    -1,
    Number.MAX_SAFE_INTEGER,
    'use -1 for no reservation, or a whole number of concurrent executions',
  );
  checkOneOf<Bundling>(
    `${P}.bundling`,
    props.bundling,
    ['prebuilt', 'source'],
    "use 'prebuilt' (the package's bundles) or 'source' (esbuild at synth time)",
  );
  checkOneOf<boolean>(`${P}.sourceMap`, props.sourceMap, [true, false], 'use true or false');
  checkOneOf<TracingMode>(
    `${P}.tracingMode`,
    props.tracingMode,
    ['PassThrough', 'Active'],
    "use 'PassThrough' or 'Active'",
  );
  checkOneOf<number>(
    `${P}.logRetentionDays`,
    props.logRetentionDays,
    LOG_RETENTION_DAYS,
    'pick the nearest value CloudWatch Logs accepts',
  );
  checkIntegerRange(
    `${P}.maximumEventAgeSeconds`,
    props.maximumEventAgeSeconds,
    60,
    21600,
    'use an age between 60 seconds and 6 hours',
    "Lambda's asynchronous invocation limits",
  );
  checkKmsKeyArn(`${P}.environmentKmsKeyArn`, props.environmentKmsKeyArn);
  checkKmsKeyArn(`${P}.logGroupKmsKeyArn`, props.logGroupKmsKeyArn);
  (props.externalModules ?? []).forEach((m, i) =>
    checkNonEmpty(`${P}.externalModules[${i}]`, m, "remove the empty entry (module specifiers look like '@aws-sdk/*')"),
  );
  validateEnvironment(props.environment);
}

function checkKmsKeyArn(prop: string, value: string | undefined): void {
  if (isUncheckable(value)) return;
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(value!)) {
    invalid(
      prop,
      value,
      'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      'pass the key ARN, e.g. kmsKey.arn',
    );
  }
}

function validateEnvironment(environment: Readonly<Record<string, string>> | undefined): void {
  if (isUncheckable(environment)) return;
  let totalBytes = 0;
  let sizeKnown = true;
  for (const [name, value] of Object.entries(environment!)) {
    const prop = `${P}.environment.${name}`;
    if (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(name)) {
      invalid(
        prop,
        name,
        'variable names must start with a letter and contain only letters, digits and "_" (≥ 2 characters)',
        'rename the variable',
      );
    }
    if (RESERVED_ENVIRONMENT_KEYS.has(name)) {
      invalid(
        prop,
        name,
        'is reserved by the Lambda runtime',
        'rename the variable; the runtime already provides this one',
      );
    }
    if (SECRET_LIKE_NAME.test(name) && !SECRET_REFERENCE_SUFFIX.test(name)) {
      invalid(
        prop,
        name,
        'looks like a secret; environment variables are readable via GetFunctionConfiguration and stored in ' +
          'Terraform state in plain text',
        'store the secret in SSM Parameter Store / Secrets Manager and pass its ARN or name ' +
          `(e.g. ${name}_ARN), then grant read access with addToRolePolicy`,
      );
    }
    if (Token.isUnresolved(value)) sizeKnown = false;
    else totalBytes += Buffer.byteLength(name) + Buffer.byteLength(String(value));
  }
  if (sizeKnown && totalBytes > ENVIRONMENT_MAX_BYTES) {
    invalid(
      `${P}.environment`,
      `${totalBytes} bytes`,
      `exceeds Lambda's ${ENVIRONMENT_MAX_BYTES}-byte limit`,
      'move large configuration to SSM Parameter Store',
    );
  }
}

/** Validates the options of one `addEventBridgeTrigger` call. */
export function validateTriggerOptions(triggerId: string, options: EventBridgeTriggerOptions): void {
  const T = `${P}.addEventBridgeTrigger(${triggerId})`;
  checkNonEmpty(`${T}.description`, options.description, 'describe what the rule triggers and why');
  if (!isUncheckable(options.description) && options.description.length > 512) {
    invalid(`${T}.description`, options.description, 'must be at most 512 characters', 'shorten description');
  }
  const hasPattern = options.eventPattern !== undefined;
  const hasSchedule = options.scheduleExpression !== undefined;
  if (hasPattern === hasSchedule) {
    invalid(
      `${T}.eventPattern/scheduleExpression`,
      { eventPattern: options.eventPattern, scheduleExpression: options.scheduleExpression },
      'exactly one of them must be set',
      'add one trigger per event pattern or schedule',
    );
  }
  checkNonEmpty(
    `${T}.eventPattern`,
    options.eventPattern,
    'match at least on "source", e.g. { source: ["aws.autoscaling"] }',
  );
  if (!isUncheckable(options.scheduleExpression) && !/^(rate|cron)\(.+\)$/.test(options.scheduleExpression!)) {
    invalid(
      `${T}.scheduleExpression`,
      options.scheduleExpression,
      'must be rate(...) or cron(...)',
      "use e.g. 'rate(5 minutes)'",
    );
  }
  checkName(
    `${T}.ruleName`,
    options.ruleName,
    { maxLength: 64, pattern: /^[.\-_A-Za-z0-9]+$/, allowedChars: 'letters, digits, ".", "-" and "_"' },
    'shorten ruleName (or omit it to derive a unique one)',
  );
  checkIntegerRange(
    `${T}.maximumRetryAttempts`,
    options.maximumRetryAttempts,
    0,
    185,
    'use 0–185 retry attempts',
    "EventBridge's limits",
  );
  checkIntegerRange(
    `${T}.maximumEventAgeSeconds`,
    options.maximumEventAgeSeconds,
    60,
    86400,
    'use an age between 60 seconds and 24 hours',
    "EventBridge's limits",
  );
}
