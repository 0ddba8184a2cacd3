/** `ecs-ami-rollout plan-summary PLAN_JSON`: a PR-ready summary of `terraform show -json` output. */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { CliDeps } from '../deps';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { DEFAULT_ASSUMPTIONS } from '../plan-summary/duration';
import { parsePlanJson } from '../plan-summary/plan-json';
import { renderMarkdown, renderText } from '../plan-summary/render';
import { hasFailingRisk, summarizePlan } from '../plan-summary/summarize';
import { positiveInt } from './options';

interface PlanSummaryFlags {
  format: 'markdown' | 'text';
  failOnReplace?: boolean;
  bootSeconds: number;
  joinSeconds: number;
  drainSeconds: number;
}

/** Exit code of the action, read by main (commander's action result is not an exit code). */
export interface ActionResult {
  exitCode: number;
}

export function planSummaryCommand(deps: CliDeps, result: ActionResult): Command {
  return new Command('plan-summary')
    .description(
      'Summarize `terraform show -json` output for PR review: instances terminated by replacements and deletions ' +
        '(and whether they are drained), changes to draining, instance refreshes (why, alarms, duration)',
    )
    .argument('<PLAN_JSON>', "file with `terraform show -json PLANFILE` output ('-' reads stdin)")
    .addOption(new Option('-f, --format <format>', 'output format').choices(['markdown', 'text']).default('markdown'))
    .option(
      '--fail-on-replace',
      `exit ${EXIT.RISKY_CHANGE} when the cluster, an ASG or a capacity provider is replaced or deleted, ` +
        'or a group that stays is left with nothing to drain it',
    )
    .addOption(
      new Option('--boot-seconds <s>', 'duration estimate: EC2 boot')
        .default(DEFAULT_ASSUMPTIONS.bootSeconds)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--join-seconds <s>', 'duration estimate: agent start → ACTIVE')
        .default(DEFAULT_ASSUMPTIONS.joinSeconds)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--drain-seconds <s>', 'duration estimate: drain of one instance')
        .default(DEFAULT_ASSUMPTIONS.drainSeconds)
        .argParser(positiveInt),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ terraform plan -out=tfplan && terraform show -json tfplan > plan.json
  $ ecs-ami-rollout plan-summary plan.json > comment.md          # Markdown for a PR comment
  $ ecs-ami-rollout plan-summary plan.json --format text --fail-on-replace   # CI: exit ${EXIT.RISKY_CHANGE} if risky
  $ terraform show -json tfplan | ecs-ami-rollout plan-summary -`,
    )
    .action((file: string, flags: PlanSummaryFlags) => {
      let text: string;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.BAD_INPUT);
      }
      const summary = summarizePlan(parsePlanJson(text, file), {
        bootSeconds: flags.bootSeconds,
        joinSeconds: flags.joinSeconds,
        drainSeconds: flags.drainSeconds,
      });
      deps.stdout.write(flags.format === 'text' ? renderText(summary) : renderMarkdown(summary));
      if (flags.failOnReplace && hasFailingRisk(summary)) {
        deps.stderr.write(
          `plan-summary: risky replacement or deletion planned (--fail-on-replace): exit ${EXIT.RISKY_CHANGE}\n`,
        );
        result.exitCode = EXIT.RISKY_CHANGE;
      }
    });
}
