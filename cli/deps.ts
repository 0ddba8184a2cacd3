/**
 * Everything a command touches outside its own logic, injected so tests run commands in-process without AWS, a TTY or
 * real timers: output streams, environment, AWS clients, the confirmation prompt, the watch loop's timer and signals.
 */
import type { AwsClients } from './aws/clients';
import { OutputStream } from './output';

export interface CliDeps {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
  /** Whether a human can answer a prompt (stdin and stdout are terminals). */
  readonly interactive: boolean;
  readonly awsClients: (region: string | undefined) => AwsClients;
  /** Yes/no prompt; only called when `interactive`. */
  readonly confirm: (message: string) => Promise<boolean>;
  /** Waits between `--watch` refreshes; resolves early when the watch is stopped. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Subscribes to Ctrl-C (SIGINT/SIGTERM); returns the unsubscribe function. */
  readonly onInterrupt: (handler: () => void) => () => void;
}

/**
 * The prompt: @inquirer/confirm is ESM-only. Node ≥ 20.19 can `require()` ESM, jest cannot — so it is loaded lazily
 * here, only when a prompt is really shown, and tests inject their own `confirm`.
 */
async function inquirerConfirm(message: string): Promise<boolean> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: ESM-only, loaded by Node's require(esm)
  const loaded = require('@inquirer/confirm') as {
    default: (config: { message: string; default?: boolean }) => Promise<boolean>;
  };
  try {
    return await loaded.default({ message, default: false });
  } catch (error) {
    // Ctrl-C inside the prompt (ExitPromptError) means "no".
    if ((error as Error).name === 'ExitPromptError') return false;
    throw error;
  }
}

export function defaultDeps(): CliDeps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    // Loaded on first use: the SDK clients take ~1 s to load, and `--help` or plan-summary never need them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the SDK loads only when needed
    awsClients: (region) => (require('./aws/clients') as typeof import('./aws/clients')).createAwsClients(region),
    confirm: inquirerConfirm,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}
