/** Runs the CLI in-process with captured output and injected AWS clients, prompt and timers. */
import { AwsClients } from '../../../cli/aws/clients';
import { CliDeps } from '../../../cli/deps';
import { runCli } from '../../../cli/program';

export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly clients?: Partial<AwsClients>;
  readonly interactive?: boolean;
  readonly confirm?: (message: string) => Promise<boolean>;
  readonly env?: NodeJS.ProcessEnv;
}

export async function runCaptured(argv: string[], options: RunOptions = {}): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const unavailable = { send: async () => Promise.reject(new Error('no AWS client injected for this test')) };
  const deps: CliDeps = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: options.env ?? { NO_COLOR: '1' },
    interactive: options.interactive ?? false,
    awsClients: (region) => ({
      ecs: unavailable,
      autoScaling: unavailable,
      ec2: unavailable,
      ssm: unavailable,
      now: () => new Date(),
      region,
      ...options.clients,
    }),
    confirm: options.confirm ?? (async () => Promise.reject(new Error('unexpected prompt'))),
    sleep: async () => undefined,
    onInterrupt: () => () => undefined,
  };
  const code = await runCli(argv, deps);
  return { code, stdout, stderr };
}
