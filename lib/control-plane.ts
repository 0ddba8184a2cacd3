import { AwsContext } from './aws-context';
import { ControlPlaneFunctionOptions } from './function-options';
import { NodeGroupLister } from './gates/gate-permissions';
import { ClusterReference, NodeGroup } from './node-group/node-group';
import { Notifications } from './notifications';

/** What every control-plane function of the product (watcher, monitor) is built against. */
export interface ControlPlaneProps {
  /** The cluster the node groups belong to. */
  readonly cluster: ClusterReference;
  /** The node groups to watch. */
  readonly nodeGroups: NodeGroup[];
  /** Account, region and partition for ARNs. */
  readonly awsContext: AwsContext;
  /** Where the function reports. */
  readonly notifications: Notifications;
  /**
   * Tracing, KMS and log settings shared by every function.
   * @default see ControlPlaneFunctionOptions
   */
  readonly functionOptions?: ControlPlaneFunctionOptions;
  /**
   * How a per-node-group value becomes a list over all node groups (config, IAM resources, event patterns); see
   * LifecycleGatesProps.listNodeGroups. The plain Terraform module passes ONE iterated node group and a lister
   * rendering a Terraform `for` expression.
   * @default `(groups, value) => groups.map(value)`
   */
  readonly listNodeGroups?: NodeGroupLister;
}
