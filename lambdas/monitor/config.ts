/**
 * `MONITOR_CONFIG`: the contract between the construct (which writes it as a Lambda environment variable, JSON) and the
 * agent monitor. Parsed once at cold start; every error names the offending key so a bad deployment fails fast.
 * `NOTIFY_TOPIC_ARN` and `NOTIFY_WEBHOOK_PARAMETER` are read separately by the shared notifier.
 */
import { z } from 'zod';

export const DEFAULT_MAX_AGENT_UPDATES_PER_RUN = 1;
/** Hard cap: updating agents is a fleet-wide change; a handful per 15-minute run is plenty. */
export const MAX_AGENT_UPDATES_PER_RUN_LIMIT = 10;

const ssmParameterName = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[a-zA-Z0-9_.\-/]+$/, 'must be an SSM parameter name (letters, digits, _ . - /)');

const nodeGroupSchema = z
  .object({
    name: z.string().min(1),
    asgName: z.string().min(1),
    approvedAmiId: z
      .string()
      .regex(/^ami-[0-9a-f]+$/, 'must look like ami-0123456789abcdef0')
      .optional(),
    approvedAmiParameter: ssmParameterName.optional(),
  })
  .strict();

const monitorConfigSchema = z
  .object({
    clusterName: z.string().min(1),
    clusterArn: z.string().regex(/^arn:aws[a-z-]*:ecs:[^:]+:\d{12}:cluster\/.+$/, 'must be an ECS cluster ARN'),
    nodeGroups: z.array(nodeGroupSchema).min(1),
    updateAgents: z.boolean().default(false),
    maxAgentUpdatesPerRun: z
      .number()
      .int()
      .min(1)
      .max(MAX_AGENT_UPDATES_PER_RUN_LIMIT)
      .default(DEFAULT_MAX_AGENT_UPDATES_PER_RUN),
    stateParameterName: ssmParameterName,
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    const asgs = new Set<string>();
    config.nodeGroups.forEach((group, index) => {
      if (names.has(group.name)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['nodeGroups', index, 'name'],
          message: `duplicate node group "${group.name}"`,
        });
      }
      if (asgs.has(group.asgName)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['nodeGroups', index, 'asgName'],
          message: `duplicate ASG "${group.asgName}": each node group needs its own Auto Scaling group`,
        });
      }
      names.add(group.name);
      asgs.add(group.asgName);
    });
  });

export type MonitorConfig = z.output<typeof monitorConfigSchema>;
export type MonitorConfigInput = z.input<typeof monitorConfigSchema>;
export type MonitorNodeGroup = MonitorConfig['nodeGroups'][number];

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${issue.path.length > 0 ? `MONITOR_CONFIG.${issue.path.join('.')}` : 'MONITOR_CONFIG'}: ${issue.message}`,
    )
    .join('; ');
}

/** Validates an already-parsed object (tests and the simulator build configs in code). */
export function validateMonitorConfig(value: unknown): MonitorConfig {
  const result = monitorConfigSchema.safeParse(value);
  if (!result.success) throw new Error(`Invalid agent monitor configuration: ${formatIssues(result.error)}`);
  return result.data;
}

/** Parses the `MONITOR_CONFIG` environment variable (JSON). */
export function parseMonitorConfig(raw: string | undefined): MonitorConfig {
  if (raw === undefined || raw.trim() === '') {
    throw new Error(
      'Invalid agent monitor configuration: MONITOR_CONFIG is not set (the construct must pass it as JSON)',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(
      `Invalid agent monitor configuration: MONITOR_CONFIG is not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  return validateMonitorConfig(value);
}
