/**
 * Builds the instance user data as a MIME multi-part document, so the agent configuration we own and the user's own
 * script both run (cloud-init runs every part in order). Deterministic: a fixed boundary keeps `terraform plan` quiet.
 */
export interface EcsUserDataOptions {
  /** Cluster to register with (may be a Terraform token). */
  readonly clusterName: string;
  /** ECS_CONTAINER_STOP_TIMEOUT: time between SIGTERM and SIGKILL when the agent stops a container. */
  readonly containerStopTimeoutSeconds: number;
  /** The user's extra user data: a shell script (`#!…`) or cloud-config (`#cloud-config`). */
  readonly extraUserData?: string;
}

const BOUNDARY = '==ECS-AMI-ROLLOUT-BOUNDARY==';

/** The shell part that configures the ECS agent. */
export function ecsAgentScript(options: EcsUserDataOptions): string {
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    'mkdir -p /etc/ecs',
    'cat >> /etc/ecs/ecs.config <<ECS_CONFIG',
    `ECS_CLUSTER=${options.clusterName}`,
    // Spot interruption notices put the instance in DRAINING two minutes before EC2 reclaims it.
    'ECS_ENABLE_SPOT_INSTANCE_DRAINING=true',
    `ECS_CONTAINER_STOP_TIMEOUT=${options.containerStopTimeoutSeconds}s`,
    'ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance',
    'ECS_CONFIG',
    '',
  ].join('\n');
}

function contentTypeOf(script: string): string {
  return script.startsWith('#cloud-config') ? 'text/cloud-config' : 'text/x-shellscript';
}

/** The full multi-part user data (not yet base64-encoded). */
export function renderUserData(options: EcsUserDataOptions): string {
  const parts = [{ type: 'text/x-shellscript', body: ecsAgentScript(options) }];
  if (options.extraUserData !== undefined && options.extraUserData.trim() !== '') {
    parts.push({ type: contentTypeOf(options.extraUserData), body: options.extraUserData });
  }
  const lines = ['MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`, ''];
  for (const part of parts) {
    lines.push(`--${BOUNDARY}`, `Content-Type: ${part.type}; charset="us-ascii"`, '', part.body.trimEnd(), '');
  }
  lines.push(`--${BOUNDARY}--`, '');
  return lines.join('\n');
}
