/**
 * The real CLI with canned AWS responses, for tests that need a real terminal (tmux):
 * `ts-node --swc __tests__/cli/support/fixture-cli.ts <fixture.json> <cli args…>`.
 * Only the AWS seam of the production dependencies is replaced; output, prompts, timers and signals are the real ones.
 */
import { defaultDeps } from '../../../cli/deps';
import { runCli } from '../../../cli/program';
import { loadFixtureClients } from './fixture-client';

async function run([fixture, ...argv]: readonly string[]): Promise<void> {
  if (fixture === undefined) throw new Error('usage: fixture-cli.ts <fixture.json> <cli args…>');
  const deps = { ...defaultDeps(), awsClients: (region: string | undefined) => loadFixtureClients(fixture, region) };
  process.exitCode = await runCli(argv, deps);
}

void run(process.argv.slice(2));
