/**
 * Exit codes of `ecs-ami-rollout` (documented in docs/cli.md and in `--help`). Scripts and CI gates rely on them:
 * never renumber, only add.
 */
export const EXIT = {
  OK: 0,
  /** Unexpected error (a bug or an AWS error the CLI has no specific message for). */
  ERROR: 1,
  /** `plan-summary --fail-on-replace`: the plan replaces or deletes a risky resource. */
  RISKY_CHANGE: 2,
  /** No AWS credentials (CredentialsProviderError) or AWS rejected them. */
  NO_CREDENTIALS: 3,
  /** DescribeClusters does not know the cluster (or it is INACTIVE). */
  CLUSTER_NOT_FOUND: 4,
  /** No Auto Scaling group tagged `ecs-ami-rollout:cluster` = the cluster (or the named node group does not exist). */
  NO_MODULE_RESOURCES: 5,
  /** The action was refused: refresh already in progress, gitops node group, not confirmed, no TTY without --yes. */
  REFUSED: 6,
  /** Bad command line (unknown option, missing argument). */
  USAGE: 64,
  /** Unreadable or invalid input file (plan-summary PLAN_JSON). */
  BAD_INPUT: 65,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   unexpected error
  2   plan-summary --fail-on-replace: a risky replacement or deletion is planned
  3   no AWS credentials, or AWS rejected them
  4   cluster not found (DescribeClusters)
  5   no ecs-ami-rollout resources found (no ASG tagged ecs-ami-rollout:cluster=<cluster>)
  6   refused (refresh in progress, gitops node group, not confirmed, no TTY without --yes)
  64  usage error
  65  unreadable or invalid input file`;
