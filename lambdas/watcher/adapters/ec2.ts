/** EC2 reads of the watcher: AMI facts (DescribeImages) and the AMI each instance runs (DescribeInstances), batched. */
import { DescribeImagesCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { SendClient } from '../../shared/aws-client';
import { callAws } from '../../shared/aws-errors';
import { chunk, unique } from '../../shared/collections';
import { AmiFacts } from '../types';

export const EC2_IDS_PER_DESCRIBE = 100;

function parseDate(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Facts per AMI id. An `image-id` filter (rather than ImageIds) makes an unknown or deregistered AMI simply absent
 * instead of failing the whole call with InvalidAMIID.NotFound.
 */
export async function describeImages(ec2: SendClient, amiIds: readonly string[]): Promise<Map<string, AmiFacts>> {
  const facts = new Map<string, AmiFacts>();
  for (const batch of chunk(unique(amiIds), EC2_IDS_PER_DESCRIBE)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeImages', () =>
        ec2.send(
          new DescribeImagesCommand({
            Filters: [{ Name: 'image-id', Values: batch }],
            IncludeDeprecated: true,
            NextToken: nextToken,
          }),
        ),
      );
      for (const image of page.Images ?? []) {
        if (!image.ImageId) continue;
        facts.set(image.ImageId, {
          imageId: image.ImageId,
          name: image.Name,
          creationDate: parseDate(image.CreationDate),
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return facts;
}

/** ImageId per instance id; unknown instances (eventual consistency) are absent. */
export async function describeInstanceImages(
  ec2: SendClient,
  instanceIds: readonly string[],
): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  for (const batch of chunk(unique(instanceIds), EC2_IDS_PER_DESCRIBE)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeInstances', () =>
        ec2.send(
          new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: batch }], NextToken: nextToken }),
        ),
      );
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          if (instance.InstanceId && instance.ImageId) images.set(instance.InstanceId, instance.ImageId);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return images;
}
