import { Construct } from 'constructs';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { AmiBinding } from './ami-source';

/**
 * Who owns a node group's AMI over time.
 * - `auto`: the AMI watcher. The launch template reads `resolve:ssm:<approved parameter>`; the watcher promotes a new
 *   AMI by writing that parameter and starting an instance refresh, and rolls back by restoring the previous one.
 *   Terraform never sees the change, so `terraform plan` stays clean.
 * - `gitops`: Terraform. The launch template holds a concrete AMI id resolved at plan time (or pinned), every AMI
 *   change is a reviewed `terraform plan`, and Auto Scaling's own auto rollback is on. The watcher only reports new
 *   AMIs.
 */
export type AmiMode = 'auto' | 'gitops';

/** The AMI as the launch template sees it once ownership is applied. */
export interface OwnedAmi extends AmiBinding {
  readonly mode: AmiMode;
  /** The module-owned parameter holding the approved AMI (`auto` only). */
  readonly approvedParameterName?: string;
  /** The module-owned parameter holding the previously approved AMI, the rollback target (`auto` only). */
  readonly previousParameterName?: string;
}

/**
 * Applies an ownership mode to what an AMI source bound. In `auto` mode it creates the two parameters the watcher
 * writes; Terraform sets their value only on creation.
 *
 * Terraform note: `lifecycle.ignore_changes = [value, insecure_value]` is what keeps the watcher's writes from showing
 * up as drift; CloudFormation would need a custom resource for the same "set once" behaviour.
 */
export function applyAmiOwnership(
  scope: Construct,
  binding: AmiBinding,
  mode: AmiMode,
  parameterPrefix: string,
): OwnedAmi {
  if (mode === 'gitops') return { ...binding, mode };
  const parameter = (id: string, suffix: string, description: string) =>
    new SsmParameter(scope, id, {
      name: `${parameterPrefix}/${suffix}`,
      description,
      type: 'String',
      dataType: 'aws:ec2:image',
      value: binding.imageId,
      lifecycle: { ignoreChanges: ['value', 'insecure_value'] },
    });
  const approved = parameter(
    'approved-ami',
    'approved-ami',
    'AMI approved for this node group (written by the ecs-ami-rollout watcher)',
  );
  const previous = parameter(
    'previous-ami',
    'previous-ami',
    'Previously approved AMI: the rollback target (written by the ecs-ami-rollout watcher)',
  );
  return {
    ...binding,
    mode,
    imageId: `resolve:ssm:${approved.name}`,
    // AWS refuses instance refresh auto rollback for launch templates that resolve their AMI from SSM.
    supportsAutoRollback: false,
    approvedParameterName: approved.name,
    previousParameterName: previous.name,
  };
}
