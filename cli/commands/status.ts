/**
 * `ecs-ami-rollout status`: one snapshot (text or --json), or --watch to redraw it in place. The definition only; the
 * implementation (and the AWS SDK, ~1 s to load) is loaded when the command runs, so `--help` stays fast.
 */
import { Command, Option } from 'commander';
import {
  DEFAULT_JOIN_DEADLINE_SECONDS,
  DEFAULT_MAX_DRAIN_SECONDS,
  DEFAULT_STANDALONE_TASK_GRACE_SECONDS,
} from '../../lambdas/shared/config';
import { CliDeps } from '../deps';
import type { StatusFlags } from '../status/flags';
import { positiveInt } from './options';

export function statusCommand(deps: CliDeps): Command {
  return new Command('status')
    .description('Show the rollout of every node group: instance refresh, AMIs, instances held by the gates and why')
    .requiredOption(
      '-c, --cluster <name>',
      'ECS cluster name (the module tags its ASGs ecs-ami-rollout:cluster=<name>)',
    )
    .option('-r, --region <region>', 'AWS region (default: AWS_REGION / profile)')
    .option('-w, --watch', 'redraw in place every --interval seconds until Ctrl-C')
    .addOption(new Option('--interval <seconds>', 'refresh period of --watch').default(5).argParser(positiveInt))
    .option('--json', 'print one JSON object (for scripts); not with --watch')
    .option('--instances', 'also list every instance in a table')
    .option(
      '--source-parameter <name>',
      'public SSM parameter of the newest AMI (default: derived from the approved AMI)',
    )
    .addOption(
      new Option('--join-deadline <seconds>', "launch gate's joinDeadlineSeconds")
        .default(DEFAULT_JOIN_DEADLINE_SECONDS)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--max-drain <seconds>', "drain gate's maxDrainSeconds")
        .default(DEFAULT_MAX_DRAIN_SECONDS)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--standalone-grace <seconds>', "drain gate's standaloneTaskGraceSeconds")
        .default(DEFAULT_STANDALONE_TASK_GRACE_SECONDS)
        .argParser(positiveInt),
    )
    .addHelpText(
      'after',
      `
The "why" of a waiting instance is the gate's own decision (decideLaunch / decideDrain) on freshly read state. The
gates' settings live in their Lambda configuration; pass --join-deadline / --max-drain / --standalone-grace if you
changed the defaults (600 / 3600 / 300 s).

Examples:
  $ ecs-ami-rollout status --cluster prod-web --region eu-west-1
  $ ecs-ami-rollout status --cluster prod-web --watch              # redraws every 5 s, Ctrl-C to stop
  $ ecs-ami-rollout status --cluster prod-web --json | jq '.nodeGroups[].refresh'`,
    )
    .action(async (flags: StatusFlags) => (await import('../status/run')).runStatus(deps, flags));
}
