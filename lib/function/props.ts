/**
 * Props, options and defaults of {@link NodejsFunction}. Defaults are defined once, in
 * {@link NODEJS_FUNCTION_DEFAULTS}.
 */
import type { Bundler } from './bundler';

/** X-Ray tracing mode of a function (`tracing_config.mode`). */
export type TracingMode = 'PassThrough' | 'Active';

/**
 * Where a function's code comes from: `prebuilt` — the deterministic bundle the package ships (built once, at pack
 * time, by `npm run build:lambdas`); `source` — esbuild bundles the entry at synth time.
 */
export type Bundling = 'prebuilt' | 'source';

/** Retention values (days) CloudWatch Logs accepts for `retention_in_days`. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Every default of {@link NodejsFunctionProps} and {@link EventBridgeTriggerOptions}, in one place. */
export const NODEJS_FUNCTION_DEFAULTS = {
  memorySizeMb: 256,
  timeoutSeconds: 60,
  /**
   * Our functions are control-plane functions: a small reservation bounds the blast radius of an event storm (and the
   * rate of AWS API calls they make, so they do not throttle other tooling in the account), and guarantees they can
   * always run even when other functions exhaust the account's concurrency. Satisfies Checkov CKV_AWS_115.
   */
  reservedConcurrentExecutions: 5,
  tracingMode: 'PassThrough' as TracingMode,
  logRetentionDays: 30,
  /**
   * An asynchronous event older than an hour is stale for a control loop: the scheduled sweep has re-derived the state
   * by then. Expired events go to the DLQ for inspection. (Lambda's own default is 6 hours.)
   */
  maximumEventAgeSeconds: 3600,
  externalModules: [] as readonly string[],
  /**
   * No source map in the deployed ZIP: it would triple the archive, and `--enable-source-maps` makes Node.js parse it
   * at init (init times measured in the README's "Lambda bundles" section).
   */
  sourceMap: false,
  trigger: {
    /** EventBridge → Lambda delivery failures are rare (async invokes are queued by Lambda); retry a few times. */
    maximumRetryAttempts: 3,
    maximumEventAgeSeconds: 3600,
  },
} as const;

/** Lambda retries failed asynchronous invocations twice (its maximum) before the event goes to the DLQ. */
export const ASYNC_MAXIMUM_RETRY_ATTEMPTS = 2;

/** DLQ messages are kept for SQS's maximum, 14 days, so a failure over a long weekend can still be inspected. */
export const DLQ_MESSAGE_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** Props of {@link NodejsFunction}. */
export interface NodejsFunctionProps {
  /**
   * Handler entry file, TypeScript or JavaScript (usually `lambdas/<name>/index.ts`), exporting `handler`.
   * Relative paths are resolved against the current working directory (the project root under `cdktf synth` and jest).
   */
  readonly entry: string;

  /**
   * Function name (1–64 characters: letters, digits, `-`, `_`). Also names the log group `/aws/lambda/<name>`, the DLQ
   * `<name>-dlq` and (as prefix) the role.
   * @default derived from the construct path: `<id>-<8-char hash of the path>`, at most 64 characters
   */
  readonly functionName?: string;

  /**
   * Description shown in the Lambda console.
   * @default no description
   */
  readonly description?: string;

  /**
   * Memory in MB (128–10240). CPU scales with memory.
   * @default 256
   */
  readonly memorySizeMb?: number;

  /**
   * Timeout in seconds (1–900).
   * @default 60
   */
  readonly timeoutSeconds?: number;

  /**
   * Reserved concurrency. `-1` removes the reservation (Terraform's "unreserved"); `0` throttles every invocation.
   * @default 5 — see {@link NODEJS_FUNCTION_DEFAULTS.reservedConcurrentExecutions} for why
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * X-Ray tracing mode. `Active` also grants `xray:PutTraceSegments` and `xray:PutTelemetryRecords`.
   * @default 'PassThrough'
   */
  readonly tracingMode?: TracingMode;

  /**
   * Environment variables. Configuration only — never secrets: values are visible to anyone allowed
   * `lambda:GetFunctionConfiguration` and are stored in the Terraform state in plain text. Pass the name or ARN of an
   * SSM parameter / Secrets Manager secret instead and read it at runtime. Names that look like secrets
   * (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE_KEY*`, unless ending in `_ARN`, `_NAME`, `_ID`,
   * `_PARAMETER`) are rejected. With `sourceMap: true`, `NODE_OPTIONS` gets `--enable-source-maps` appended.
   * @default no variables
   */
  readonly environment?: Readonly<Record<string, string>>;

  /**
   * Customer managed KMS key to encrypt the environment variables at rest. The role gets `kms:Decrypt` on it.
   * @default the AWS managed key `aws/lambda`
   */
  readonly environmentKmsKeyArn?: string;

  /**
   * Log retention in days; one of {@link LOG_RETENTION_DAYS}.
   * @default 30
   */
  readonly logRetentionDays?: number;

  /**
   * KMS key ARN to encrypt the log group (its key policy must allow `logs.<region>.amazonaws.com`).
   * @default CloudWatch Logs' default encryption
   */
  readonly logGroupKmsKeyArn?: string;

  /**
   * Maximum age of an asynchronous event, in seconds (60–21600), before it is sent to the DLQ unprocessed.
   * @default 3600
   */
  readonly maximumEventAgeSeconds?: number;

  /**
   * Where the code comes from. `prebuilt` deploys the bundle this package ships for `entry` (only the product's own
   * handlers have one); `source` bundles `entry` with esbuild at synth time (needs esbuild and the sources).
   * @default `prebuilt` when the package ships a bundle for `entry` that is current (in a source checkout: built from
   * the current sources), else `source`
   */
  readonly bundling?: Bundling;

  /**
   * Ship the source map in the ZIP and set `NODE_OPTIONS=--enable-source-maps`, so stack traces in the logs point at
   * the TypeScript sources. Costs init time and archive size.
   * @default false
   */
  readonly sourceMap?: boolean;

  /**
   * Modules left out of the bundle and loaded from the Lambda runtime (esbuild `external`, e.g. `['@aws-sdk/*']`).
   * Source bundling only.
   * @default [] — everything, including `@aws-sdk/*`, is bundled: pinned by our lockfile and reproducible, instead of
   * whatever SDK version the runtime ships today
   */
  readonly externalModules?: readonly string[];

  /**
   * Bundler for source bundling; passing one implies `bundling: 'source'`. Tests pass a `StubBundler`.
   * @default an `EsbuildBundler`
   */
  readonly bundler?: Bundler;
}

/** Options of {@link NodejsFunction.addEventBridgeTrigger}. Exactly one of `eventPattern` / `scheduleExpression`. */
export interface EventBridgeTriggerOptions {
  /** Rule description (≤ 512 characters), shown in the EventBridge console. */
  readonly description: string;

  /**
   * Event pattern, as an object. May contain tokens (ASG names, cluster ARNs): it is then rendered with Terraform's
   * `jsonencode()` instead of `JSON.stringify`.
   * @default none — then `scheduleExpression` is required
   */
  readonly eventPattern?: Readonly<Record<string, unknown>>;

  /**
   * Schedule, `rate(...)` or `cron(...)`, on the default bus.
   * @default none — then `eventPattern` is required
   */
  readonly scheduleExpression?: string;

  /**
   * Constant JSON input passed to the function instead of the matched event.
   * @default the matched event is passed
   */
  readonly input?: Readonly<Record<string, unknown>>;

  /**
   * Rule name (1–64 characters: letters, digits, `.`, `-`, `_`).
   * @default `<function name prefix>-<trigger id>-<8-char hash>`, at most 64 characters
   */
  readonly ruleName?: string;

  /**
   * EventBridge retry attempts when invoking the function fails (0–185).
   * @default 3
   */
  readonly maximumRetryAttempts?: number;

  /**
   * Maximum age in seconds of an event EventBridge keeps retrying (60–86400).
   * @default 3600
   */
  readonly maximumEventAgeSeconds?: number;
}
