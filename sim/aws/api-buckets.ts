/**
 * Which throttling token bucket an API action draws from, per service, as each service documents it:
 * - ECS: per action category, shared by every action of the category ("Request throttling for the Amazon ECS API",
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html);
 * - EC2: one bucket per action, sized by the action's category; DescribeInstances without a filter or pagination
 *   draws from the smaller "unfiltered and unpaginated" bucket ("Request throttling for the Amazon EC2 API",
 *   https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html);
 * - Auto Scaling: ONE bucket shared by every Amazon EC2 Auto Scaling action ("all Amazon EC2 Auto Scaling API calls
 *   have a single, shared API limit", AWS Knowledge Center "My Auto Scaling API calls are throttled",
 *   https://repost.aws/knowledge-center/autoscaling-api-calls-throttled); its size is not published (assumption);
 * - SSM Parameter Store: GetParameter, GetParameters and GetParametersByPath share one throughput quota ("AWS Systems
 *   Manager endpoints and quotas", https://docs.aws.amazon.com/general/latest/gr/ssm.html); PutParameter's is not
 *   published (assumption: its own bucket of the same size).
 * The sizes live in sim/timings.ts.
 */
import type { BucketSpec, Timings } from '../timings';
import type { ServiceName } from './errors';

export interface BucketChoice {
  /** Requests with the same key share one bucket (per account and Region). */
  readonly key: string;
  readonly spec: BucketSpec;
}

export type BucketSelector = (operation: string, input: Record<string, unknown>) => BucketChoice;

const ECS_SERVICE_READ = new Set(['DescribeServices', 'ListServices']);
const EC2_UNFILTERED_CAPABLE = new Set([
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeSnapshots',
  'DescribeSpotInstanceRequests',
  'DescribeVolumes',
]);
const SSM_GET = new Set(['GetParameter', 'GetParameters', 'GetParametersByPath']);

function ec2Bucket(t: Timings): BucketSelector {
  return (operation, input) => {
    if (/^(Describe|List|Search|Get)/.test(operation)) {
      const filtered = input.Filters !== undefined || input.MaxResults !== undefined || input.NextToken !== undefined;
      if (EC2_UNFILTERED_CAPABLE.has(operation) && !filtered)
        return { key: `${operation}:unfiltered`, spec: t.ec2UnfilteredReadBucket };
      return { key: operation, spec: t.ec2ReadBucket };
    }
    return { key: operation, spec: t.ec2MutatingBucket };
  };
}

/** The bucket selector of a service. */
export function bucketSelector(service: ServiceName, t: Timings): BucketSelector {
  switch (service) {
    case 'ECS':
      return (operation) => {
        if (ECS_SERVICE_READ.has(operation)) return { key: 'service-read', spec: t.ecsServiceReadBucket };
        if (/^(Describe|List)/.test(operation))
          return { key: 'cluster-resource-read', spec: t.ecsClusterResourceReadBucket };
        return { key: 'cluster-resource-modify', spec: t.ecsClusterResourceModifyBucket };
      };
    case 'EC2':
      return ec2Bucket(t);
    case 'AutoScaling':
      return () => ({ key: 'account', spec: t.autoScalingBucket });
    case 'SSM':
      return (operation) =>
        SSM_GET.has(operation) ? { key: 'get-parameter', spec: t.ssmBucket } : { key: operation, spec: t.ssmBucket };
  }
}
