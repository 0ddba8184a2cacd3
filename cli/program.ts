/** The `ecs-ami-rollout` program: commander wiring, help texts and the error → exit code mapping. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { controlCommands } from './commands/control';
import { ActionResult, planSummaryCommand } from './commands/plan-summary';
import { statusCommand } from './commands/status';
import { CliDeps } from './deps';
import { toCliError } from './errors';
import { EXIT, EXIT_CODES_HELP } from './exit-codes';
import { colorsFor } from './output';

/** The package version, from the sources (cli/) or the compiled output (dist/cli/) alike. */
function packageVersion(): string {
  for (const candidate of [
    path.join(__dirname, '..', 'package.json'),
    path.join(__dirname, '..', '..', 'package.json'),
  ]) {
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export function buildProgram(deps: CliDeps, result: ActionResult): Command {
  const program = new Command('ecs-ami-rollout')
    .description(
      'Operate ecs-ami-rollout: watch a rollout live, summarize Terraform plans for review, pause/resume/promote AMIs',
    )
    .version(packageVersion())
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ ecs-ami-rollout status --cluster prod-web --watch
  $ ecs-ami-rollout plan-summary plan.json --fail-on-replace > comment.md
  $ ecs-ami-rollout pause --cluster prod-web
  $ ecs-ami-rollout promote ami-0123456789abcdef0 --cluster prod-web --node-group x86
${EXIT_CODES_HELP}

AWS credentials and region come from the usual AWS SDK chain (AWS_PROFILE, AWS_REGION, SSO, instance roles)
or --region.`,
    );
  const commands = [statusCommand(deps), planSummaryCommand(deps, result), ...controlCommands(deps)];
  for (const command of commands)
    program.addCommand(
      command
        .exitOverride()
        .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) })
        .showHelpAfterError('(run with --help for usage)'),
    );
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const result: ActionResult = { exitCode: EXIT.OK };
  const program = buildProgram(deps, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help / --version end with a "help displayed" error: that is success. Everything else is a usage error
      // that commander already printed.
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return EXIT.OK;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT.ERROR;
      return EXIT.USAGE;
    }
    const cliError = toCliError(error);
    const c = colorsFor(deps.stderr, deps.env);
    deps.stderr.write(`${c.red('error:')} ${cliError.message}\n`);
    if (cliError.exitCode === EXIT.ERROR && deps.env.ECS_AMI_ROLLOUT_DEBUG)
      deps.stderr.write(`${(error as Error).stack}\n`);
    return cliError.exitCode;
  }
}
