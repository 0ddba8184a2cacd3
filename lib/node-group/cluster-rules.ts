/** Node group rules that need the cluster's view: after inheritance, and over all node groups of a cluster. */
import { Offense, offense } from '../rules';
import { isUncheckable } from '../validation';
import { NodeGroupRule, text } from './rule-builders';
import type { ResolvedNodeGroup } from './resolve-options';

/**
 * Rules over the node group after it inherited the cluster-level settings (subnets, security groups, AMI mode): the
 * construct checks them with the others; the module checks them as preconditions of the Auto Scaling group, over the
 * normalized `local.node_groups`.
 */
export const RESOLVED_NODE_GROUP_RULES: readonly NodeGroupRule[] = [
  {
    attribute: 'subnet_ids',
    hcl: text('length(g.subnet_ids) > 0'),
    reason: text('must not be empty'),
    fix: text('pass at least one (private) subnet id, on the node group or the cluster'),
    check: (g) => offense(g.subnetIds, (s: string[]) => s.length > 0),
    example: { subnetIds: [] },
  },
  {
    attribute: 'security_group_ids',
    hcl: text('length(g.security_group_ids) > 0'),
    reason: text('must not be empty'),
    fix: text('pass at least one security group id, on the node group or the cluster'),
    check: (g) => offense(g.securityGroupIds, (s: string[]) => s.length > 0),
    example: { securityGroupIds: [] },
  },
  {
    attribute: 'instance_refresh.auto_rollback',
    hcl: text('!(g.ami_mode == "auto" && g.instance_refresh.auto_rollback == true)'),
    reason: text('Auto Scaling cannot roll back a launch template that resolves its AMI from SSM at launch'),
    fix: text('leave {instance_refresh.auto_rollback} unset in {ami_mode} "auto" (the AMI watcher rolls back instead)'),
    check: (g) =>
      isUncheckable(g.amiMode) || g.amiMode !== 'auto' || g.instanceRefresh.autoRollback !== true
        ? undefined
        : { value: true },
    example: { amiMode: 'auto', instanceRefresh: { autoRollback: true } },
  },
];

/** A rule over all node groups of a cluster (the module's whole `node_groups` map). */
export interface NodeGroupMapRule {
  /** Module attribute path the rule is about, or `(map)` for the map itself. */
  readonly attribute: string;
  /** HCL condition over the map expression `groups` (values are node group objects). */
  readonly hcl: (groups: string) => string;
  readonly reason: string;
  readonly fix: string;
  /** The construct's check over the resolved node groups. */
  readonly check: (groups: readonly ResolvedNodeGroup[]) => Offense | undefined;
}

export const NODE_GROUP_MAP_RULES: readonly NodeGroupMapRule[] = [
  {
    attribute: '(map)',
    hcl: (groups) => `length(${groups}) > 0`,
    reason: 'must not be empty',
    fix: 'add at least one node group, e.g. x86',
    check: (groups) => (groups.length > 0 ? undefined : { value: [] }),
  },
  {
    attribute: 'name',
    hcl: () => 'true', // map keys are unique by construction
    reason: 'is used by two node groups',
    fix: 'give every node group its own name',
    check: (groups) => {
      const names = groups.map((g) => g.name);
      const twice = names.find((name, i) => names.indexOf(name) !== i);
      return twice === undefined ? undefined : { value: twice };
    },
  },
  {
    attribute: 'capacity_provider.base',
    hcl: (groups) => `length([for k, g in ${groups} : k if g.capacity_provider.base > 0]) <= 1`,
    reason: 'only one capacity provider in a strategy may have a base',
    fix: 'set base on one node group only',
    check: (groups) => {
      const withBase = groups.filter((g) => !isUncheckable(g.capacityProvider.base) && g.capacityProvider.base > 0);
      return withBase.length > 1 ? { value: withBase.map((g) => g.name) } : undefined;
    },
  },
];
