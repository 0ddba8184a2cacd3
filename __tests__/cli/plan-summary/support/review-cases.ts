/**
 * The plans a reviewer meets, as module instances over seeded "applied" state (the plan matrix's seeding,
 * support/terraform/seeded-module-plans.ts): one root, one module instance per case, so one set of Terraform runs
 * plans them all.
 */
import type { ModuleCase } from '../../../support/terraform/seeded-module-plans';

const NETWORK = {
  subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  security_group_ids: ['sg-0a1b2c3d4e5f60001'],
};

export const AMI_BEFORE = 'ami-0123456789abcdef1';
export const AMI_AFTER = 'ami-0123456789abcdef2';
/** The gitops refresh under review: checkpoints at 50 and 100 %, a 600 s pause, one alarm. */
export const GITOPS_REFRESH = {
  checkpoint_percentages: [50, 100],
  checkpoint_delay: 600,
  alarm_names: ['web-5xx-rate-high'],
};

/** A lean fleet: watcher and monitor off (they add no drain-path resources), one x86 group of 3 unless stated. */
function fleet(cluster: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cluster_name: cluster,
    ...NETWORK,
    enable_ami_watcher: false,
    enable_agent_monitor: false,
    node_groups: { x86: { desired_capacity: 3 } },
    ...extra,
  };
}

export interface ReviewCase extends ModuleCase {
  /** The node group the case is about. */
  readonly nodeGroup: string;
  /** Instances it runs in the seeded state. */
  readonly instances: number;
}

const reviewCase = (
  name: string,
  nodeGroup: string,
  instances: number,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): ReviewCase => ({ name, nodeGroup, instances, before, after });

export const CASES = {
  hookChange: reviewCase(
    'hook_change',
    'x86',
    3,
    fleet('rv-hook'),
    fleet('rv-hook', { node_groups: { x86: { desired_capacity: 3, terminate_hook: { heartbeat_timeout: 1800 } } } }),
  ),
  drainOwner: reviewCase('drain_owner', 'x86', 3, fleet('rv-owner'), fleet('rv-owner', { drain_owner: 'ecs' })),
  groupRemoved: reviewCase(
    'group_removed',
    'old',
    2,
    fleet('rv-remove', { node_groups: { x86: { desired_capacity: 3 }, old: { desired_capacity: 2 } } }),
    fleet('rv-remove'),
  ),
  instanceType: reviewCase(
    'instance_type',
    'x86',
    3,
    fleet('rv-type'),
    fleet('rv-type', { node_groups: { x86: { desired_capacity: 3, instance_types: ['m7i.xlarge'] } } }),
  ),
  gitopsBump: reviewCase(
    'gitops_bump',
    'web',
    2,
    fleet('rv-gitops', {
      ami_mode: 'gitops',
      node_groups: { web: { desired_capacity: 2, ami_id: AMI_BEFORE, instance_refresh: GITOPS_REFRESH } },
    }),
    fleet('rv-gitops', {
      ami_mode: 'gitops',
      node_groups: { web: { desired_capacity: 2, ami_id: AMI_AFTER, instance_refresh: GITOPS_REFRESH } },
    }),
  ),
  /** A change the module cannot make in place: the cluster name is part of the group's name (ForceNew). */
  renamed: reviewCase(
    'renamed',
    'x86',
    3,
    fleet('rv-rename', { name_prefix: 'rv-rename' }),
    fleet('rv-rename-blue', { name_prefix: 'rv-rename' }),
  ),
} as const;

export const ALL_CASES: readonly ReviewCase[] = Object.values(CASES);
