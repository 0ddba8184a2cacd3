import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The app's config file (JSON): one entry per stack. Unknown keys are errors (a typo must not silently fall back to a
 * default), and every problem is reported at once with the path of the offending key.
 */
const tags = z.record(z.string(), z.string());
const percent = z.number().int();

const amiSource = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('ecs-optimized'),
      osFamily: z.enum(['al2023', 'al2']).optional(),
      variant: z.enum(['standard', 'gpu', 'neuron']).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('ssm-parameter'),
      parameterName: z.string(),
      minimumRootVolumeGiB: z.number().int().optional(),
      rootDeviceName: z.string().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('pinned'),
      amiId: z.string(),
      minimumRootVolumeGiB: z.number().int().optional(),
      rootDeviceName: z.string().optional(),
    })
    .strict(),
]);

const hook = z
  .object({
    heartbeatTimeoutSeconds: z.number().int().optional(),
    defaultResult: z.enum(['CONTINUE', 'ABANDON']).optional(),
  })
  .strict();

const nodeGroup = z
  .object({
    name: z.string(),
    subnetIds: z.array(z.string()).optional(),
    securityGroupIds: z.array(z.string()).optional(),
    architecture: z.enum(['x86_64', 'arm64']).optional(),
    amiSource: amiSource.optional(),
    amiMode: z.enum(['auto', 'gitops']).optional(),
    instanceTypes: z.array(z.string()).optional(),
    minSize: z.number().int().optional(),
    maxSize: z.number().int().optional(),
    desiredCapacity: z.number().int().optional(),
    rootVolumeSizeGiB: z.number().int().optional(),
    rootVolumeIops: z.number().int().optional(),
    rootVolumeThroughput: z.number().int().optional(),
    rootVolumeKmsKeyId: z.string().optional(),
    extraVolumes: z
      .array(
        z
          .object({
            deviceName: z.string(),
            sizeGiB: z.number().int(),
            iops: z.number().int().optional(),
            throughput: z.number().int().optional(),
            kmsKeyId: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    keyName: z.string().optional(),
    forceDelete: z.boolean().optional(),
    deleteTimeout: z.string().optional(),
    httpPutResponseHopLimit: z.number().int().optional(),
    associatePublicIpAddress: z.boolean().optional(),
    detailedMonitoring: z.boolean().optional(),
    containerStopTimeoutSeconds: z.number().int().optional(),
    userData: z.string().optional(),
    healthCheckGracePeriodSeconds: z.number().int().optional(),
    instanceRefresh: z
      .object({
        minHealthyPercentage: percent.optional(),
        maxHealthyPercentage: percent.optional(),
        instanceWarmupSeconds: z.number().int().optional(),
        checkpointPercentages: z.array(percent).optional(),
        checkpointDelaySeconds: z.number().int().optional(),
        alarmNames: z.array(z.string()).optional(),
        autoRollback: z.boolean().optional(),
      })
      .strict()
      .optional(),
    launchHook: hook.optional(),
    terminateHook: hook.optional(),
    mixedInstances: z
      .object({
        onDemandBaseCapacity: z.number().int().optional(),
        onDemandPercentageAboveBaseCapacity: percent.optional(),
        spotAllocationStrategy: z
          .enum(['price-capacity-optimized', 'capacity-optimized', 'capacity-optimized-prioritized', 'lowest-price'])
          .optional(),
      })
      .strict()
      .optional(),
    capacityProvider: z
      .object({
        targetCapacityPercent: percent.optional(),
        managedScaling: z.boolean().optional(),
        managedTerminationProtection: z.boolean().optional(),
        minimumScalingStepSize: z.number().int().optional(),
        maximumScalingStepSize: z.number().int().optional(),
        instanceWarmupPeriodSeconds: z.number().int().optional(),
        weight: z.number().int().optional(),
        base: z.number().int().optional(),
      })
      .strict()
      .optional(),
    tags: tags.optional(),
  })
  .strict();

const backend = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local'), path: z.string().optional() }).strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string(),
      key: z.string(),
      region: z.string().optional(),
      encrypt: z.boolean().optional(),
      useLockfile: z.boolean().optional(),
      dynamodbTable: z.string().optional(),
    })
    .strict(),
]);

const stack = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'stack names may contain letters, digits, "-" and "_" only'),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as "eu-west-1"'),
    backend: backend.optional(),
    clusterName: z.string(),
    adoptExistingCluster: z.boolean().optional(),
    containerInsights: z.enum(['enabled', 'disabled', 'enhanced']).optional(),
    subnetIds: z.array(z.string()).optional(),
    securityGroupIds: z.array(z.string()).optional(),
    drainOwner: z.enum(['lambda', 'ecs']).optional(),
    instanceProfileName: z.string().optional(),
    amiMode: z.enum(['auto', 'gitops']).optional(),
    namePrefix: z.string().optional(),
    defaultCapacityProviderStrategy: z
      .array(
        z
          .object({
            capacityProvider: z.string(),
            weight: z.number().int().optional(),
            base: z.number().int().optional(),
          })
          .strict(),
      )
      .optional(),
    extraCapacityProviders: z.array(z.string()).optional(),
    manageClusterCapacityProviders: z.boolean().optional(),
    gates: z
      .object({
        joinDeadlineSeconds: z.number().int().optional(),
        maxDrainSeconds: z.number().int().optional(),
        forceDrainAfterSeconds: z.number().int().optional(),
        standaloneTaskGraceSeconds: z.number().int().optional(),
        requireHealthyInstance: z.boolean().optional(),
        verifyAmi: z.boolean().optional(),
        sweepSchedule: z.string().optional(),
        logRetentionDays: z.number().int().optional(),
      })
      .strict()
      .optional(),
    amiWatcher: z
      .object({
        schedule: z.string().optional(),
        minAmiAgeHours: z.number().int().optional(),
        maintenanceWindows: z
          .array(
            z
              .object({
                days: z.array(z.enum(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])),
                startHour: z.number().int(),
                endHour: z.number().int(),
              })
              .strict(),
          )
          .optional(),
        pipelineWebhookParameterName: z.string().optional(),
        legacyAmiTopicArn: z.string().optional(),
        logRetentionDays: z.number().int().optional(),
      })
      .strict()
      .optional(),
    enableAmiWatcher: z.boolean().optional(),
    agentMonitor: z
      .object({
        schedule: z.string().optional(),
        updateAgents: z.boolean().optional(),
        maxAgentUpdatesPerRun: z.number().int().optional(),
        logRetentionDays: z.number().int().optional(),
      })
      .strict()
      .optional(),
    enableAgentMonitor: z.boolean().optional(),
    functions: z
      .object({
        tracingMode: z.enum(['PassThrough', 'Active']).optional(),
        environmentKmsKeyArn: z.string().optional(),
        logGroupKmsKeyArn: z.string().optional(),
        logRetentionDays: z.number().int().optional(),
        reservedConcurrency: z.number().int().optional(),
      })
      .strict()
      .optional(),
    notifications: z
      .object({
        existingTopicArn: z.string().optional(),
        topicKmsKeyId: z.string().optional(),
        webhookParameterName: z.string().optional(),
        webhookParameterKmsKeyArn: z.string().optional(),
      })
      .strict()
      .optional(),
    tags: tags.optional(),
    nodeGroups: z.array(nodeGroup).min(1, 'add at least one node group'),
  })
  .strict();

export const appConfigSchema = z
  .object({
    $schema: z.string().optional(),
    stacks: z.array(stack).min(1, 'add at least one stack'),
  })
  .strict();

export type AppConfig = z.infer<typeof appConfigSchema>;
export type StackConfig = AppConfig['stacks'][number];
export type NodeGroupConfig = StackConfig['nodeGroups'][number];

/** Thrown when the config file is unreadable or invalid; the message lists every problem. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid config ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function pathOf(path: (string | number)[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key),
    '',
  );
}

/** Validates already-parsed JSON; `file` names the source in messages. */
export function parseAppConfig(raw: unknown, file: string): AppConfig {
  const result = appConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => {
        const at = pathOf(issue.path) || '(root)';
        const received = issue.code === 'invalid_type' ? ` (got ${issue.received})` : '';
        const keys = issue.code === 'unrecognized_keys' ? ` — remove or fix the spelling` : '';
        return `${at}: ${issue.message}${received}${keys}`;
      }),
    );
  }
  const names = result.data.stacks.map((s) => s.name);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) {
    throw new ConfigError(file, [`stacks[].name: "${duplicates[0]}" is used twice — give every stack its own name`]);
  }
  return result.data;
}

/** Reads and validates a config file. */
export function loadAppConfig(file: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseAppConfig(raw, file);
}
