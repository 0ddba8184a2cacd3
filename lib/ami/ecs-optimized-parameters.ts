/**
 * Public SSM parameters that AWS publishes for the ECS-optimized AMIs, per OS family, variant and architecture.
 * Pure data (no cdktf import) so that Lambdas and the CLI can share it.
 *
 * Source: "Retrieving Amazon ECS-optimized Linux AMI metadata"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html).
 * AWS retired the ECS AMI release SNS topic for Linux AMIs; these parameters are the only machine-readable release
 * signal.
 */
export type OsFamily = 'al2023' | 'al2';
export type AmiVariant = 'standard' | 'gpu' | 'neuron';
export type Architecture = 'x86_64' | 'arm64';

export interface EcsOptimizedAmiSpec {
  /** Name of the public SSM parameter whose value is the recommended AMI id. */
  readonly parameterName: string;
  /** Size of the AMI's root snapshot: the root volume may not be smaller. */
  readonly minimumRootVolumeGiB: number;
  /** Device name of the root volume in the AMI's block device mapping. */
  readonly rootDeviceName: string;
}

const PREFIX = '/aws/service/ecs/optimized-ami';
const PATH: Record<OsFamily, string> = { al2023: 'amazon-linux-2023', al2: 'amazon-linux-2' };

/** Variants that AWS publishes for only one architecture. */
const SUPPORTED: Record<AmiVariant, readonly Architecture[]> = {
  standard: ['x86_64', 'arm64'],
  gpu: ['x86_64'],
  neuron: ['x86_64'],
};

/** Returns the AMI spec, or a message saying why the combination does not exist. */
export function ecsOptimizedAmi(
  osFamily: OsFamily,
  variant: AmiVariant,
  architecture: Architecture,
): EcsOptimizedAmiSpec | string {
  if (!SUPPORTED[variant].includes(architecture)) {
    return `the ECS-optimized ${variant} AMI exists only for ${SUPPORTED[variant].join(', ')}`;
  }
  const segments = [PREFIX, PATH[osFamily]];
  if (variant !== 'standard') segments.push(variant);
  if (architecture === 'arm64') segments.push('arm64');
  segments.push('recommended', 'image_id');
  // Both Amazon Linux families ship a 30 GiB root snapshot on /dev/xvda (the AMI's BlockDeviceMappings).
  return { parameterName: segments.join('/'), minimumRootVolumeGiB: 30, rootDeviceName: '/dev/xvda' };
}
