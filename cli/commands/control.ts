/**
 * `pause`, `resume`, `promote AMI_ID`: operator overrides of the AMI watcher (amiMode `auto`). The definitions only;
 * control/actions.ts (and the AWS SDK) is loaded when a command runs.
 */
import { Command } from 'commander';
import { CliDeps } from '../deps';
import type { ControlFlags } from '../control/flags';

const common = (command: Command) =>
  command
    .requiredOption('-c, --cluster <name>', 'ECS cluster name')
    .option('-r, --region <region>', 'AWS region (default: AWS_REGION / profile)')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)');

const actions = async () => import('../control/actions');

function pauseSwitchCommand(deps: CliDeps, name: 'pause' | 'resume'): Command {
  const value = name === 'pause' ? 'true' : 'false';
  const running =
    name === 'pause' ? 'not stopped (cancel it with `aws autoscaling cancel-instance-refresh`)' : 'affected';
  const effect =
    name === 'pause'
      ? 'The watcher stops promoting new AMIs and starting refreshes.'
      : 'The watcher promotes new AMIs again.';
  return common(new Command(name))
    .description(
      `${name === 'pause' ? 'Pause' : 'Resume'} the AMI watcher (auto mode): ` +
        `writes /ecs-ami-rollout/<cluster>/paused = "${value}"`,
    )
    .addHelpText(
      'after',
      `
${effect} A refresh already running is ${running}.

Examples:
  $ ecs-ami-rollout ${name} --cluster prod-web
  $ ecs-ami-rollout ${name} --cluster prod-web --region eu-west-1 --yes   # scripts / CI`,
    )
    .action(async (flags: ControlFlags) => (await actions()).setPauseSwitch(deps, flags, name));
}

function promoteCommand(deps: CliDeps): Command {
  return common(new Command('promote'))
    .description('Approve an AMI for a node group (auto mode) and start an instance refresh on its ASG')
    .argument('<AMI_ID>', 'the AMI to roll out, e.g. ami-0123456789abcdef0')
    .option('-n, --node-group <name>', 'node group to promote (required when the cluster has several)')
    .addHelpText(
      'after',
      `
Writes /ecs-ami-rollout/<cluster>/<node group>/approved-ami (the old value goes to …/previous-ami, the rollback
target), then StartInstanceRefresh (Rolling, SkipMatching false; preferences of the ASG's last refresh, else min 100 %
/ max 200 % healthy). Refuses while a refresh is in progress and for gitops node groups (change the AMI in code).

Examples:
  $ ecs-ami-rollout promote ami-0123456789abcdef0 --cluster prod-web --node-group x86
  $ ecs-ami-rollout promote ami-0123456789abcdef0 -c prod-web -n x86 --yes`,
    )
    .action(async (amiId: string, flags: ControlFlags) => (await actions()).promote(deps, amiId, flags));
}

export function controlCommands(deps: CliDeps): Command[] {
  return [pauseSwitchCommand(deps, 'pause'), pauseSwitchCommand(deps, 'resume'), promoteCommand(deps)];
}
