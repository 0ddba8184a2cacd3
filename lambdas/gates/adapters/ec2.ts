/** EC2 and SSM reads for the launch gate: launch time, AMI and state of new instances; the approved AMI id. */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { SendClient } from '../../shared/aws-client';
import { callAws } from '../../shared/aws-errors';
import { chunk } from '../../shared/collections';
import { Ec2InstanceView } from '../types';

export const EC2_IDS_PER_DESCRIBE = 100;

/**
 * EC2 facts per instance id. Uses an `instance-id` filter rather than InstanceIds: an unknown id (eventual consistency
 * right after launch) is then simply absent instead of failing the whole batch with InvalidInstanceID.NotFound.
 * Absent means "unknown", never "gone": terminated instances stay visible (state `terminated`) for about an hour.
 */
export async function describeEc2Instances(
  ec2: SendClient,
  instanceIds: readonly string[],
): Promise<Map<string, Ec2InstanceView>> {
  const views = new Map<string, Ec2InstanceView>();
  for (const batch of chunk(instanceIds, EC2_IDS_PER_DESCRIBE)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeInstances', () =>
        ec2.send(
          new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: batch }], NextToken: nextToken }),
        ),
      );
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          if (!instance.InstanceId) continue;
          views.set(instance.InstanceId, {
            instanceId: instance.InstanceId,
            state: instance.State?.Name ?? 'unknown',
            launchTime: instance.LaunchTime ? new Date(instance.LaunchTime) : undefined,
            imageId: instance.ImageId,
          });
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return views;
}

const APPROVED_AMI_CACHE_MS = 5 * 60 * 1000;
const approvedAmiCache = new Map<string, { value: string; expiresAt: number }>();

/**
 * The AMI id in an SSM parameter, cached per warm Lambda for 5 minutes so the optional AMI check costs one
 * GetParameter per container lifetime, not one per instance. Accepts a plain AMI id or the JSON `…/recommended`
 * ECS-optimized parameter (`{"image_id": …}`).
 */
export async function readApprovedAmi(ssm: SendClient, parameterName: string, now: Date): Promise<string | undefined> {
  const cached = approvedAmiCache.get(parameterName);
  if (cached && cached.expiresAt > now.getTime()) return cached.value;
  const response = await callAws('GetParameter', () => ssm.send(new GetParameterCommand({ Name: parameterName })));
  const raw: string | undefined = response.Parameter?.Value;
  const value = raw?.trim().startsWith('{') ? (JSON.parse(raw) as { image_id?: string }).image_id : raw?.trim();
  if (value) approvedAmiCache.set(parameterName, { value, expiresAt: now.getTime() + APPROVED_AMI_CACHE_MS });
  return value;
}

/** Test seam: forget cached parameter values. */
export function clearApprovedAmiCache(): void {
  approvedAmiCache.clear();
}
