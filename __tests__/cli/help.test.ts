/** `--help` of the program and of every command: usage, options and worked examples. */
import { EXIT } from '../../cli/exit-codes';
import { runCaptured } from './support/run-cli';

describe('--help', () => {
  test('program help lists the commands, examples and exit codes', async () => {
    // WHEN
    const run = await runCaptured(['--help']);
    // THEN
    expect(run.code).toBe(EXIT.OK);
    for (const command of ['status', 'plan-summary', 'pause', 'resume', 'promote'])
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toMatch(/Examples:\n {2}\$ ecs-ami-rollout status --cluster prod-web --watch/);
    expect(run.stdout).toMatch(/Exit codes:[\s\S]*2 {3}plan-summary --fail-on-replace[\s\S]*64 {2}usage error/);
  });

  test.each([
    [
      'status',
      /--watch[\s\S]*--json[\s\S]*Examples:\n {2}\$ ecs-ami-rollout status --cluster prod-web --region eu-west-1/,
    ],
    ['plan-summary', /<PLAN_JSON>[\s\S]*--fail-on-replace[\s\S]*Examples:\n {2}\$ terraform plan -out=tfplan/],
    ['pause', /--yes[\s\S]*Examples:\n {2}\$ ecs-ami-rollout pause --cluster prod-web/],
    ['resume', /--yes[\s\S]*Examples:\n {2}\$ ecs-ami-rollout resume --cluster prod-web/],
    ['promote', /<AMI_ID>[\s\S]*--node-group[\s\S]*Examples:\n {2}\$ ecs-ami-rollout promote ami-0123456789abcdef0/],
  ])('%s --help shows its options and examples', async (command, expected) => {
    // WHEN
    const run = await runCaptured([command, '--help']);
    // THEN
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toMatch(new RegExp(`^Usage: ecs-ami-rollout ${command} `));
    expect(run.stdout).toMatch(expected);
  });

  test('an unknown option is a usage error (exit 64) with a hint', async () => {
    const run = await runCaptured(['status', '--cluster', 'web', '--bogus']);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toMatch(/unknown option '--bogus'[\s\S]*run with --help/);
  });
});
