/**
 * `GATE_CONFIG`: the contract between the lead's construct (which writes it as a Lambda environment variable) and the
 * gate Lambdas. Parsed once at cold start; every error names the offending key so a bad deployment fails fast.
 */
import { z } from 'zod';
import {
  HEARTBEAT_TIMEOUT_MAX_SECONDS,
  HEARTBEAT_TIMEOUT_MIN_SECONDS,
  lifecycleGlobalTimeoutSeconds,
} from '../../lib/gates/hook-limits';

import { GATE_DEFAULTS } from '../../lib/gates/gate-defaults';

export { lifecycleGlobalTimeoutSeconds };

export const DEFAULT_JOIN_DEADLINE_SECONDS = GATE_DEFAULTS.joinDeadlineSeconds;
export const DEFAULT_MAX_DRAIN_SECONDS = GATE_DEFAULTS.maxDrainSeconds;
export const DEFAULT_STANDALONE_TASK_GRACE_SECONDS = GATE_DEFAULTS.standaloneTaskGraceSeconds;

const heartbeatSeconds = z.number().int().min(HEARTBEAT_TIMEOUT_MIN_SECONDS).max(HEARTBEAT_TIMEOUT_MAX_SECONDS);

const nodeGroupSchema = z
  .object({
    name: z.string().min(1),
    asgName: z.string().min(1),
    launchHookName: z.string().min(1),
    terminateHookName: z.string().min(1),
    launchHeartbeatSeconds: heartbeatSeconds,
    terminateHeartbeatSeconds: heartbeatSeconds,
    expectedAmiId: z
      .string()
      .regex(/^ami-[0-9a-f]+$/, 'must look like ami-0123456789abcdef0')
      .optional(),
    approvedAmiParameter: z.string().min(1).optional(),
  })
  .strict();

const gateConfigSchema = z
  .object({
    clusterName: z.string().min(1),
    clusterArn: z.string().regex(/^arn:aws[a-z-]*:ecs:[^:]+:\d{12}:cluster\/.+$/, 'must be an ECS cluster ARN'),
    nodeGroups: z.array(nodeGroupSchema).min(1),
    joinDeadlineSeconds: z.number().int().positive().default(DEFAULT_JOIN_DEADLINE_SECONDS),
    /** A drain still waiting after this long is reported (and held). */
    maxDrainSeconds: z.number().int().positive().default(DEFAULT_MAX_DRAIN_SECONDS),
    /** Opt-in: continue a drain with work still on the instance after this long. Absent = never. */
    // null: the Terraform module's variable left unset (never forced), the same as absent.
    forceDrainAfterSeconds: z
      .number()
      .int()
      .positive()
      .nullish()
      .transform((value) => value ?? undefined),
    standaloneTaskGraceSeconds: z.number().int().min(0).default(DEFAULT_STANDALONE_TASK_GRACE_SECONDS),
    requireHealthyInstance: z.boolean().default(GATE_DEFAULTS.requireHealthyInstance),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.nodeGroups.forEach((group, index) => {
      if (seen.has(group.asgName)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['nodeGroups', index, 'asgName'],
          message: `duplicate ASG "${group.asgName}": each node group needs its own Auto Scaling group`,
        });
      }
      seen.add(group.asgName);
      const globalTimeout = lifecycleGlobalTimeoutSeconds(group.terminateHeartbeatSeconds);
      const force = config.forceDrainAfterSeconds;
      if (force !== undefined && force > globalTimeout) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['forceDrainAfterSeconds'],
          message:
            `${force} exceeds the terminate hook's global timeout of node group "${group.name}" ` +
            `(min(48 h, 100 × ${group.terminateHeartbeatSeconds} s) = ${globalTimeout} s): the hook would end first`,
        });
      }
      if (config.maxDrainSeconds > globalTimeout) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['maxDrainSeconds'],
          message:
            `${config.maxDrainSeconds} exceeds the terminate hook's global timeout of node group "${group.name}" ` +
            `(min(48 h, 100 × ${group.terminateHeartbeatSeconds} s) = ${globalTimeout} s): lower maxDrainSeconds ` +
            'or raise terminateHeartbeatSeconds',
        });
      }
    });
  });

export type GateConfig = z.output<typeof gateConfigSchema>;
export type NodeGroupConfig = GateConfig['nodeGroups'][number];
/** What the construct may write: defaults filled in by the parser. */
export type GateConfigInput = z.input<typeof gateConfigSchema>;

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? `GATE_CONFIG.${issue.path.join('.')}` : 'GATE_CONFIG';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates an already-parsed object (the simulator and tests build configs in code). */
export function validateGateConfig(value: unknown): GateConfig {
  const result = gateConfigSchema.safeParse(value);
  if (!result.success) throw new Error(`Invalid gate configuration: ${formatIssues(result.error)}`);
  return result.data;
}

/** Parses the `GATE_CONFIG` environment variable (JSON). */
export function parseGateConfig(raw: string | undefined): GateConfig {
  if (raw === undefined || raw.trim() === '') {
    throw new Error('Invalid gate configuration: GATE_CONFIG is not set (the construct must pass it as JSON)');
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`Invalid gate configuration: GATE_CONFIG is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  return validateGateConfig(value);
}

export function findNodeGroupByAsg(config: GateConfig, asgName: string | undefined): NodeGroupConfig | undefined {
  return asgName === undefined ? undefined : config.nodeGroups.find((group) => group.asgName === asgName);
}
