/**
 * Which public parameter announces the newest AMI for a node group: derived from the approved AMI's name and
 * architecture (ECS-optimized names say the family and variant: `al2023-ami-ecs-gpu-hvm-…`, `amzn2-ami-ecs-hvm-…`),
 * using the table the constructs use (lib/ami/ecs-optimized-parameters.ts). `--source-parameter` overrides it.
 */
import { AmiVariant, Architecture, OsFamily, ecsOptimizedAmi } from '../../lib/ami/ecs-optimized-parameters';

export function publicParameterFor(
  imageName: string | undefined,
  architecture: string | undefined,
): string | undefined {
  const arch: Architecture = architecture === 'arm64' ? 'arm64' : 'x86_64';
  const name = imageName ?? '';
  const osFamily: OsFamily = name.startsWith('amzn2-') ? 'al2' : 'al2023';
  const variant: AmiVariant = /-ecs-gpu-/.test(name) ? 'gpu' : /-ecs-neuron-/.test(name) ? 'neuron' : 'standard';
  if (imageName !== undefined && !/-ecs-/.test(name)) return undefined; // a custom AMI: no public parameter to compare with
  const spec = ecsOptimizedAmi(osFamily, variant, arch);
  return typeof spec === 'string' ? undefined : spec.parameterName;
}
