/**
 * Which container instances UpdateContainerAgent can update, and agent version ordering. Pure functions.
 *
 * Source (see README.md for the quotes): the UpdateContainerAgent API is supported only on Linux variants of the Amazon
 * ECS-optimized AMI (it needs the ecs-init service), with the exception of the Amazon ECS-optimized Amazon Linux 2
 * (arm64) AMI; it does not apply to Windows container instances.
 *
 * The AMI family comes from cheap data we already hold: the container instance attributes `ecs.os-type` and
 * `ecs.cpu-architecture`, and the AMI *name* (from the DescribeImages call the drift report makes anyway). The name
 * prefixes are the ones AWS publishes for the ECS-optimized AMIs. Anything we cannot positively identify as an
 * ECS-optimized Linux AMI (custom AMIs, Bottlerocket, deregistered AMIs whose name is unknown) is skipped: calling the
 * API there would at best fail and at worst act on an instance without ecs-init.
 */
import type { AmiFacts, MonitoredInstance } from './types';

export type AmiFamily = 'al1-ecs' | 'al2-ecs' | 'al2023-ecs' | 'bottlerocket' | 'other' | 'unknown';

/** Classifies an AMI by its public name. */
export function amiFamily(ami: AmiFacts | undefined): AmiFamily {
  const name = ami?.name?.toLowerCase();
  if (!name) return 'unknown';
  if (name.startsWith('al2023-ami-ecs-')) return 'al2023-ecs';
  if (name.startsWith('amzn2-ami-ecs-')) return 'al2-ecs';
  if (name.startsWith('amzn-ami-') && name.includes('amazon-ecs-optimized')) return 'al1-ecs';
  if (name.startsWith('bottlerocket-')) return 'bottlerocket';
  return 'other';
}

export type AgentUpdateSupport = { readonly supported: true } | { readonly supported: false; readonly reason: string };

export function agentUpdateSupport(instance: MonitoredInstance, ami: AmiFacts | undefined): AgentUpdateSupport {
  if (instance.osType !== undefined && instance.osType !== 'linux') {
    return { supported: false, reason: `os-type ${instance.osType}: UpdateContainerAgent does not apply to Windows` };
  }
  const family = amiFamily(ami);
  switch (family) {
    case 'unknown':
      return {
        supported: false,
        reason: 'AMI name unknown (deregistered or not visible): cannot confirm an ECS-optimized AMI',
      };
    case 'other':
    case 'bottlerocket':
      return {
        supported: false,
        reason: `${family} AMI: UpdateContainerAgent needs an ECS-optimized AMI with ecs-init`,
      };
    case 'al2-ecs': {
      const arm64 = instance.cpuArchitecture === 'arm64' || /arm64/i.test(ami?.name ?? '');
      return arm64
        ? {
            supported: false,
            reason: 'ECS-optimized Amazon Linux 2 (arm64): update the ecs-init package or the AMI instead',
          }
        : { supported: true };
    }
    default:
      return { supported: true };
  }
}

/** Parses "1.89.1" / "v1.89.1" into numbers; undefined when unparsable. */
export function parseAgentVersion(version: string | undefined): number[] | undefined {
  const match = version?.trim().match(/^v?(\d+)\.(\d+)\.(\d+)/);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Semver-style comparison of agent versions (<0, 0, >0). Unparsable versions sort first. */
export function compareAgentVersions(a: string | undefined, b: string | undefined): number {
  const left = parseAgentVersion(a);
  const right = parseAgentVersion(b);
  if (!left || !right) return (left ? 1 : 0) - (right ? 1 : 0);
  for (let i = 0; i < 3; i += 1) {
    if (left[i] !== right[i]) return left[i] - right[i];
  }
  return 0;
}

/** Newest parsable agent version among the instances. */
export function newestAgentVersion(instances: readonly MonitoredInstance[]): string | undefined {
  let newest: string | undefined;
  for (const instance of instances) {
    if (!parseAgentVersion(instance.agentVersion)) continue;
    if (newest === undefined || compareAgentVersions(instance.agentVersion, newest) > 0) newest = instance.agentVersion;
  }
  return newest;
}
