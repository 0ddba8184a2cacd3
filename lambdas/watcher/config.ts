/**
 * `WATCHER_CONFIG`: the contract between the construct (which writes it as a Lambda environment variable, JSON) and the
 * AMI watcher. Parsed once at cold start; every error names the offending key so a bad deployment fails fast.
 * `NOTIFY_TOPIC_ARN` and `NOTIFY_WEBHOOK_PARAMETER` are read separately by the shared notifier.
 */
import { z } from 'zod';
import { DEFAULTS } from '../../lib/defaults';
import {
  rollbackRefreshPreferences,
  startRefreshPreferences,
  type StartRefreshPreferences,
} from '../../lib/refresh/refresh-preferences';

/**
 * Default minimum age of an AMI before the watcher promotes it: 24 hours. AWS occasionally replaces an ECS-optimized
 * release within its first day (a regression found after publication); a one-day soak keeps the fleet off such
 * releases, while "release → fleet patched" stays about schedule interval + 24 h + one refresh. Set 0 for the fastest
 * patching (for example when a critical CVE fix is out).
 */
export const DEFAULT_MIN_AMI_AGE_HOURS = 24;
/** Upper bound: a minimum age above 30 days would leave the fleet on AMIs AWS already considers outdated. */
export const MAX_MIN_AMI_AGE_HOURS = 720;
/**
 * Abandoned launches of the new AMI that make the watcher cancel its refresh and roll back: one host that never joins
 * can be bad luck, three in one refresh are not. Our rule, not AWS's (docs/auto-mode.md).
 */
export const DEFAULT_ABANDONED_LAUNCHES_TO_ROLL_BACK = 3;
/** The node group defaults of the hook heartbeat timeouts (defined once, in lib/defaults.ts). */
export const DEFAULT_LAUNCH_HOOK_SECONDS = DEFAULTS.nodeGroup.launchHeartbeatTimeoutSeconds;
export const DEFAULT_TERMINATE_HOOK_SECONDS = DEFAULTS.nodeGroup.terminateHeartbeatTimeoutSeconds;

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ssmParameterName = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[a-zA-Z0-9_.\-/]+$/, 'must be an SSM parameter name (letters, digits, _ . - /)');

const maintenanceWindowSchema = z
  .object({
    days: z.array(z.enum(WEEKDAYS, { errorMap: () => ({ message: `must be one of ${WEEKDAYS.join(', ')}` }) })).min(1),
    /** UTC hour the window opens (inclusive), 0–23. */
    startHour: z.number().int().min(0).max(23),
    /** UTC hour the window closes (exclusive), 1–24. */
    endHour: z.number().int().min(1).max(24),
  })
  .strict()
  .refine((w) => w.endHour > w.startHour, {
    message: 'endHour must be greater than startHour (windows do not wrap midnight: split an overnight window in two)',
    path: ['endHour'],
  });

const refreshPreferencesSchema = z
  .object({
    minHealthyPercentage: z.number().int().min(0).max(100),
    maxHealthyPercentage: z.number().int().min(100).max(200),
    instanceWarmupSeconds: z.number().int().min(0),
    checkpointPercentages: z.array(z.number().int().min(1).max(100)).min(1).optional(),
    checkpointDelaySeconds: z.number().int().min(0).max(172800).optional(),
    /** CloudWatch alarms of the refresh's AlarmSpecification (at most 10, as AWS allows). */
    alarmNames: z.array(z.string().min(1)).max(10).default([]),
  })
  .strict()
  .superRefine((prefs, ctx) => {
    if (prefs.maxHealthyPercentage - prefs.minHealthyPercentage > 100) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['maxHealthyPercentage'],
        message: 'maxHealthyPercentage − minHealthyPercentage may not exceed 100 (an Auto Scaling rule)',
      });
    }
    const checkpoints = prefs.checkpointPercentages;
    if (checkpoints && checkpoints.some((value, i) => i > 0 && value <= checkpoints[i - 1])) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['checkpointPercentages'],
        message: 'must be strictly ascending',
      });
    }
  });

const nodeGroupSchema = z
  .object({
    name: z.string().min(1),
    asgName: z.string().min(1),
    mode: z.enum(['auto', 'gitops']),
    /** Public (…/recommended/image_id, Bottlerocket …/latest/image_id) or custom parameter holding the newest AMI. */
    sourceParameterName: ssmParameterName,
    /** `auto`: the module-owned parameter the launch template resolves (`resolve:ssm:`). */
    approvedParameterName: ssmParameterName.optional(),
    /** `auto`: the module-owned parameter holding the rollback target. */
    previousParameterName: ssmParameterName.optional(),
    /** JSON String parameter where the watcher keeps this node group's promotion history (see state.ts). */
    stateParameterName: ssmParameterName,
    refreshPreferences: refreshPreferencesSchema,
    /**
     * Heartbeat timeouts of the node group's lifecycle hooks: the launch gate decides within the first, a drain fits in
     * the second. They bound how long one batch of a refresh may take (the refresh deadline).
     */
    hookTimeouts: z
      .object({
        launchSeconds: z.number().int().min(30).max(7200).default(DEFAULT_LAUNCH_HOOK_SECONDS),
        terminateSeconds: z.number().int().min(30).max(7200).default(DEFAULT_TERMINATE_HOOK_SECONDS),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((group, ctx) => {
    if (group.mode !== 'auto') return;
    for (const key of ['approvedParameterName', 'previousParameterName'] as const) {
      if (group[key] === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: `is required when mode is "auto" (node group "${group.name}")`,
        });
      }
    }
    if (group.approvedParameterName !== undefined && group.approvedParameterName === group.previousParameterName) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['previousParameterName'],
        message: 'must differ from approvedParameterName',
      });
    }
  });

const watcherConfigSchema = z
  .object({
    clusterName: z.string().min(1),
    clusterArn: z.string().regex(/^arn:aws[a-z-]*:ecs:[^:]+:\d{12}:cluster\/.+$/, 'must be an ECS cluster ARN'),
    nodeGroups: z.array(nodeGroupSchema).min(1),
    policy: z
      .object({
        minAmiAgeHours: z.number().min(0).max(MAX_MIN_AMI_AGE_HOURS).default(DEFAULT_MIN_AMI_AGE_HOURS),
        maintenanceWindows: z.array(maintenanceWindowSchema).default([]),
        /**
         * Launches of the new AMI the launch gate abandoned during the watcher's refresh after which the watcher
         * cancels it and rolls back (evidence against the AMI; AWS documents no failure count of its own). 0 = only on
         * Failed.
         */
        abandonedLaunchesToRollBack: z.number().int().min(0).max(1000).default(DEFAULT_ABANDONED_LAUNCHES_TO_ROLL_BACK),
        /** Seconds after which the watcher's own refresh counts as stuck; unset = derived per refresh. */
        refreshDeadlineSeconds: z.number().int().min(600).max(1_209_600).optional(),
      })
      .strict()
      .default({}),
    pauseParameterName: ssmParameterName,
    denyListParameterName: ssmParameterName,
    /** gitops: SSM SecureString parameter holding the pipeline webhook URL (POSTed on a new AMI). */
    pipelineWebhookParameterName: ssmParameterName.optional(),
    /** Legacy ECS AMI SNS topic; messages from it trigger an evaluation. Unset = SNS events are ignored. */
    legacyAmiTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[^:]+:\d{12}:.+$/, 'must be an SNS topic ARN')
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = { name: new Set<string>(), asgName: new Set<string>(), stateParameterName: new Set<string>() };
    config.nodeGroups.forEach((group, index) => {
      for (const key of ['name', 'asgName', 'stateParameterName'] as const) {
        if (seen[key].has(group[key])) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['nodeGroups', index, key],
            message: `duplicate ${key} "${group[key]}": each node group needs its own`,
          });
        }
        seen[key].add(group[key]);
      }
    });
  });

export type WatcherConfig = z.output<typeof watcherConfigSchema>;
export type WatcherConfigInput = z.input<typeof watcherConfigSchema>;
export type WatcherNodeGroup = WatcherConfig['nodeGroups'][number];
export type MaintenanceWindow = WatcherConfig['policy']['maintenanceWindows'][number];
export type RefreshPreferencesConfig = WatcherNodeGroup['refreshPreferences'];

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${issue.path.length > 0 ? `WATCHER_CONFIG.${issue.path.join('.')}` : 'WATCHER_CONFIG'}: ${issue.message}`,
    )
    .join('; ');
}

/** Validates an already-parsed object (tests and the simulator build configs in code). */
export function validateWatcherConfig(value: unknown): WatcherConfig {
  const result = watcherConfigSchema.safeParse(value);
  if (!result.success) throw new Error(`Invalid AMI watcher configuration: ${formatIssues(result.error)}`);
  return result.data;
}

/** Parses the `WATCHER_CONFIG` environment variable (JSON). */
export function parseWatcherConfig(raw: string | undefined): WatcherConfig {
  if (raw === undefined || raw.trim() === '') {
    throw new Error(
      'Invalid AMI watcher configuration: WATCHER_CONFIG is not set (the construct must pass it as JSON)',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(
      `Invalid AMI watcher configuration: WATCHER_CONFIG is not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  return validateWatcherConfig(value);
}

export function findNodeGroupByAsg(config: WatcherConfig, asgName: string): WatcherNodeGroup | undefined {
  return config.nodeGroups.find((group) => group.asgName === asgName);
}

/**
 * The watcher's StartInstanceRefresh preferences for a rollout of `group`: the one definition
 * (lib/refresh/refresh-preferences.ts) over the node group's settings, exactly as its Terraform block renders them.
 * Auto rollback is impossible with `resolve:ssm:` launch templates; the watcher rolls back itself.
 */
export function rolloutPreferences(group: WatcherNodeGroup): StartRefreshPreferences {
  return startRefreshPreferences({ ...group.refreshPreferences, autoRollback: false });
}

/** The preferences of the refresh that replaces the instances of a rolled-back AMI (min 100 %, max 200 %). */
export function rollbackPreferences(group: WatcherNodeGroup): StartRefreshPreferences {
  return rollbackRefreshPreferences(group.refreshPreferences);
}
