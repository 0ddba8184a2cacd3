import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';

/**
 * Partition, region and account of the stack, known at plan time, so IAM policies show concrete ARNs in
 * `terraform plan` (reviewers read them) instead of "known after apply".
 */
export class AwsContext extends Construct {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.partition = new DataAwsPartition(this, 'partition').partition;
    this.region = new DataAwsRegion(this, 'region').name;
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
  }

  /** ARN of an Auto Scaling group by name: the form IAM matches for lifecycle actions. */
  autoScalingGroupArn(name: string): string {
    return (
      `arn:${this.partition}:autoscaling:${this.region}:` +
      `${this.accountId}:autoScalingGroup:*:autoScalingGroupName/${name}`
    );
  }

  /** ARN pattern of an ECS sub-resource of a cluster, e.g. `ecsArn('service', cluster)` → `…:service/<cluster>/*`. */
  ecsClusterResourceArn(kind: 'service' | 'container-instance' | 'task', clusterName: string): string {
    return `arn:${this.partition}:ecs:${this.region}:${this.accountId}:${kind}/${clusterName}/*`;
  }

  /**
   * ARN of an SSM parameter by name. Hierarchical names start with a slash that the ARN does not repeat
   * (`…:parameter/a/b` for `/a/b`); for names only known to Terraform, `trimprefix` strips it at plan time.
   * Public AWS parameters have no account in their ARN: pass `account = ''`.
   */
  ssmParameterArn(name: string, account: string = this.accountId): string {
    const path = Token.isUnresolved(name) ? Fn.trimprefix(name, '/') : name.replace(/^\//, '');
    return `arn:${this.partition}:ssm:${this.region}:${account}:parameter/${path}`;
  }
}
