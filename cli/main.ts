/** Entry point of the `ecs-ami-rollout` bin (see bin/ecs-ami-rollout.js). */
import { defaultDeps } from './deps';
import { runCli } from './program';

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const code = await runCli(argv, defaultDeps());
  // Let stdout drain (pipes) before exiting; exitCode instead of exit() keeps buffered output intact.
  process.exitCode = code;
}

if (require.main === module) void main();
