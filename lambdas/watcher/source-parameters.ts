/**
 * Public SSM parameters the watcher can follow besides the ECS-optimized Amazon Linux table in
 * lib/ami/ecs-optimized-parameters.ts: the Bottlerocket ECS variants. Pure data.
 *
 * Source: "Retrieving an Amazon ECS-optimized Bottlerocket AMI"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-bottlerocket-retrieve-ami.html):
 * `/aws/service/bottlerocket/<variant>/<arch>/latest/image_id`.
 */
import type { Architecture } from '../../lib/ami/ecs-optimized-parameters';

export const BOTTLEROCKET_ECS_VARIANTS = ['aws-ecs-1', 'aws-ecs-1-nvidia', 'aws-ecs-2', 'aws-ecs-2-nvidia'] as const;
export type BottlerocketEcsVariant = (typeof BOTTLEROCKET_ECS_VARIANTS)[number];

export function bottlerocketEcsParameter(variant: BottlerocketEcsVariant, architecture: Architecture): string {
  return `/aws/service/bottlerocket/${variant}/${architecture}/latest/image_id`;
}

/**
 * True for AWS-published public parameters (`/aws/service/…`): read-only, IAM ARN
 * `arn:aws:ssm:<region>::parameter/aws/service/…`.
 */
export function isPublicAwsParameter(name: string): boolean {
  return name.startsWith('/aws/service/');
}
