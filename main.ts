/**
 * The ready-to-deploy app: `cdktf deploy` / `npm run synth`. Reads a config file (the embedded example unless
 * ECS_AMI_ROLLOUT_CONFIG or the cdktf context key `configFile` names another) and builds one stack per entry.
 */
import * as path from 'node:path';
import { App } from 'cdktf';
import { ConfigError, loadAppConfig } from './lib/config/app-config';
import { RolloutStack } from './lib/config/rollout-stack';

export const DEFAULT_CONFIG_FILE = path.join(__dirname, 'examples', 'app', 'config.json');

/** Config file precedence: environment variable, then cdktf context, then the embedded example. */
export function configFileFor(app: App, env: NodeJS.ProcessEnv = process.env): string {
  const fromContext = app.node.tryGetContext('configFile') as string | undefined;
  return env.ECS_AMI_ROLLOUT_CONFIG ?? fromContext ?? DEFAULT_CONFIG_FILE;
}

/**
 * Builds every stack of the config into `app`. A construct error in one stack does not hide the others': every
 * stack is built and all errors are reported at once, each prefixed with the stack's path in the file.
 */
export function buildApp(app: App, configFile: string): RolloutStack[] {
  const config = loadAppConfig(configFile);
  const problems: string[] = [];
  const stacks = config.stacks.flatMap((stack, index) => {
    try {
      return [new RolloutStack(app, stack)];
    } catch (error) {
      if ((error as Error).name !== 'ValidationError') throw error;
      problems.push(`stacks[${index}] (${stack.name}): ${(error as Error).message}`);
      return [];
    }
  });
  if (problems.length > 0) throw new ConfigError(configFile, problems);
  return stacks;
}

if (require.main === module) {
  const app = new App();
  try {
    buildApp(app, configFileFor(app));
  } catch (error) {
    // A config or validation error is the user's to fix: print it plainly, without a stack trace.
    if (error instanceof ConfigError || (error as Error).name === 'ValidationError') {
      console.error((error as Error).message);
      process.exit(1);
    }
    throw error;
  }
  app.synth();
}
