import { Fn, Token } from 'cdktf';
import { AwsContext } from '../aws-context';
import { NodejsFunction } from '../function';
import { ClusterReference, NodeGroup } from '../node-group/node-group';

/** What a lister may need to know about the groups it is given beyond the groups themselves. */
export interface NodeGroupListOptions {
  /**
   * The groups were selected as those in ami mode "auto". A lister over NodeGroup constructs ignores it (the caller
   * already filtered); a lister over a Terraform map, where the mode is only known to Terraform, iterates the auto
   * ones.
   * @default false
   */
  readonly autoOnly?: boolean;
}

/** Turns a per-node-group value into the list of that value over `groups` (see LifecycleGatesProps.listNodeGroups). */
export type NodeGroupLister = <T>(
  groups: readonly NodeGroup[],
  value: (group: NodeGroup) => T,
  options?: NodeGroupListOptions,
) => T[];

/** The default lister: one element per NodeGroup construct. */
export const listEach: NodeGroupLister = (groups, value) => groups.map(value);

/**
 * Concatenates lists, some of which may be one Terraform list token (a lister's `for` expression): plain lists stay
 * plain (the constructs' output is unchanged), otherwise `concat(...)`.
 */
export function concatLists(...lists: readonly string[][]): string[] {
  return lists.some((l) => Token.isUnresolved(l)) ? Token.asList(Fn.concat(lists as string[][])) : lists.flat();
}

/** Flattens a lister's list of lists (plain: `flat()`, Terraform list token: `flatten(...)`). */
export function flattenList(lists: readonly string[][]): string[] {
  return Token.isUnresolved(lists) ? Token.asList(Fn.flatten(lists as string[][])) : lists.flat();
}

/** The cluster and node groups the gates act on: their permissions are scoped to exactly these. */
export interface GatedFleet {
  readonly cluster: ClusterReference;
  readonly nodeGroups: NodeGroup[];
  readonly awsContext: AwsContext;
  /** @default listEach */
  readonly list?: NodeGroupLister;
}

function onCluster(target: GatedFleet) {
  return [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [target.cluster.clusterArn] }];
}

/** Lifecycle actions on this module's ASGs only, and the read-only Auto Scaling describes. */
function grantLifecycleActions(fn: NodejsFunction, target: GatedFleet): void {
  fn.addToRolePolicy({
    sid: 'CompleteOwnLifecycleActions',
    effect: 'Allow',
    actions: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
    resources: (target.list ?? listEach)(target.nodeGroups, (group) =>
      target.awsContext.autoScalingGroupArn(group.autoScalingGroupName),
    ),
  });
  fn.addToRolePolicy({
    // Auto Scaling offers no resource-level permissions for Describe* (Service Authorization Reference): `*` is the
    // only valid resource, and these calls are read-only.
    sid: 'DescribeAutoScaling',
    effect: 'Allow',
    actions: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeAutoScalingInstances',
      // Only for a group that has a warm pool (unsupported: found and reported).
      'autoscaling:DescribeWarmPool',
    ],
    resources: ['*'],
  });
  fn.addToRolePolicy({
    sid: 'ListClusterInstances',
    effect: 'Allow',
    actions: ['ecs:ListContainerInstances'],
    resources: [target.cluster.clusterArn],
  });
  fn.addToRolePolicy({
    sid: 'DescribeClusterInstances',
    effect: 'Allow',
    actions: ['ecs:DescribeContainerInstances'],
    resources: [target.awsContext.ecsClusterResourceArn('container-instance', target.cluster.clusterName)],
    condition: onCluster(target),
  });
}

/**
 * Launch gate: read the instance's registration and, optionally, the approved AMI; set an instance it is about to
 * ABANDON to DRAINING first (ECS may have placed tasks on it while its launch hook was pending).
 */
export function grantLaunchGate(fn: NodejsFunction, target: GatedFleet, verifyAmi: boolean): void {
  grantLifecycleActions(fn, target);
  fn.addToRolePolicy({
    sid: 'DrainBeforeAbandon',
    effect: 'Allow',
    actions: ['ecs:UpdateContainerInstancesState'],
    resources: [target.awsContext.ecsClusterResourceArn('container-instance', target.cluster.clusterName)],
    condition: onCluster(target),
  });
  fn.addToRolePolicy({
    // EC2 Describe* has no resource-level permissions; read-only (launch time, AMI, instance state).
    sid: 'DescribeInstances',
    effect: 'Allow',
    actions: ['ec2:DescribeInstances'],
    resources: ['*'],
  });
  const approved = target.nodeGroups.flatMap((group) =>
    group.ami.approvedParameterName ? [group.ami.approvedParameterName] : [],
  );
  if (verifyAmi && approved.length > 0) {
    fn.addToRolePolicy({
      sid: 'ReadApprovedAmi',
      effect: 'Allow',
      actions: ['ssm:GetParameter'],
      resources: approved.map((name) => target.awsContext.ssmParameterArn(name)),
    });
  }
}

/** Drain gate: drain this cluster's instances and stop standalone tasks on them, nothing else. */
export function grantDrainGate(fn: NodejsFunction, target: GatedFleet): void {
  grantLifecycleActions(fn, target);
  const context = target.awsContext;
  const clusterName = target.cluster.clusterName;
  fn.addToRolePolicy({
    sid: 'DrainClusterInstances',
    effect: 'Allow',
    actions: ['ecs:UpdateContainerInstancesState', 'ecs:ListTasks'],
    resources: [context.ecsClusterResourceArn('container-instance', clusterName)],
    condition: onCluster(target),
  });
  fn.addToRolePolicy({
    // Drain bookkeeping (drain start, last heartbeat) lives in container-instance attributes. Scoped by resource only:
    // a condition key PutAttributes does not support would deny every call.
    sid: 'RecordDrainState',
    effect: 'Allow',
    actions: ['ecs:PutAttributes'],
    resources: [context.ecsClusterResourceArn('container-instance', clusterName)],
  });
  fn.addToRolePolicy({
    sid: 'InspectAndStopClusterTasks',
    effect: 'Allow',
    actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
    resources: [context.ecsClusterResourceArn('task', clusterName)],
    condition: onCluster(target),
  });
  fn.addToRolePolicy({
    sid: 'CheckClusterServices',
    effect: 'Allow',
    actions: ['ecs:DescribeServices'],
    resources: [context.ecsClusterResourceArn('service', clusterName)],
    condition: onCluster(target),
  });
}
