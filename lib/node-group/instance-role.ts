import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { INSTANCE_MANAGED_POLICIES } from '../defaults';

/** Props of {@link EcsInstanceRole}. */
export interface EcsInstanceRoleProps {
  /** Name prefix for the role and instance profile (≤ 38 characters, so the generated suffix fits). */
  readonly namePrefix: string;
  /**
   * Tags for the role and the instance profile.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/**
 * The IAM role and instance profile of ECS container instances: the ECS agent's managed policy and Session Manager
 * (so nobody needs SSH keys or open ports).
 */
export class EcsInstanceRole extends Construct {
  /** Name of the instance profile to put in the launch template. */
  readonly instanceProfileName: string;
  /** ARN of the instance profile. */
  readonly instanceProfileArn: string;
  /** The role, for extra policies. */
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: EcsInstanceRoleProps) {
    super(scope, id);
    const partition = new DataAwsPartition(this, 'partition');
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      namePrefix: `${props.namePrefix}-`,
      description: 'ECS container instances (ecs-ami-rollout)',
      assumeRolePolicy: trust.json,
      tags: props.tags,
    });
    INSTANCE_MANAGED_POLICIES.forEach((policy, i) => {
      new IamRolePolicyAttachment(this, `managed-policy-${i}`, {
        role: this.role.name,
        policyArn: `arn:${partition.partition}:iam::aws:policy/${policy}`,
      });
    });
    const profile = new IamInstanceProfile(this, 'profile', {
      namePrefix: `${props.namePrefix}-`,
      role: this.role.name,
      tags: props.tags,
    });
    this.instanceProfileName = profile.name;
    this.instanceProfileArn = profile.arn;
  }
}
