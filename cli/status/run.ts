/** `status` implementation: collect → render (text / JSON) once, or redraw in place until Ctrl-C (`--watch`). */
import { CliDeps } from '../deps';
import { CliError, toCliError } from '../errors';
import { EXIT } from '../exit-codes';
import { colorsFor } from '../output';
import type { StatusFlags } from './flags';
import { collectStatus } from './collect';
import { DEFAULT_GATE_POLICY } from './explain';
import { renderStatus } from './render';

/** Clear screen + cursor home: redraw in place without scrollback noise. */
const CLEAR = '\x1b[2J\x1b[H';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export async function runStatus(deps: CliDeps, flags: StatusFlags): Promise<void> {
  if (flags.json && flags.watch)
    throw new CliError('--json prints one object for scripts: use it without --watch', EXIT.USAGE);
  const clients = deps.awsClients(flags.region);
  const options = {
    cluster: flags.cluster,
    sourceParameter: flags.sourceParameter,
    policy: {
      ...DEFAULT_GATE_POLICY,
      joinDeadlineSeconds: flags.joinDeadline,
      maxDrainSeconds: flags.maxDrain,
      standaloneTaskGraceSeconds: flags.standaloneGrace,
    },
  };
  const render = async () => {
    const snapshot = await collectStatus(clients, options);
    if (flags.json) return `${JSON.stringify(snapshot, null, 2)}\n`;
    return renderStatus(snapshot, {
      colors: colorsFor(deps.stdout, deps.env),
      unicode: deps.stdout.isTTY === true,
      instanceTable: flags.instances,
    });
  };
  if (!flags.watch) {
    deps.stdout.write(await render());
    return;
  }
  await watch(deps, render, flags.interval * 1000);
}

/** Redraw loop: clear + draw, sleep, repeat; Ctrl-C ends it cleanly (cursor restored, exit code 0). */
async function watch(deps: CliDeps, render: () => Promise<string>, intervalMs: number): Promise<void> {
  const stop = new AbortController();
  const unsubscribe = deps.onInterrupt(() => stop.abort());
  const tty = deps.stdout.isTTY === true;
  if (tty) deps.stdout.write(HIDE_CURSOR);
  let count = 0;
  try {
    while (!stop.signal.aborted) {
      let frame: string;
      try {
        frame = await render();
      } catch (error) {
        // Wrong cluster / no credentials will not fix themselves: end with their exit code. Anything else (throttling,
        // a network blip) must not end a long watch: show it and try again on the next tick.
        if (toCliError(error).exitCode !== EXIT.ERROR) throw error;
        frame = `refresh failed: ${(error as Error).message}\n`;
      }
      if (stop.signal.aborted) break;
      count += 1;
      const footer = `\nrefresh #${count} · every ${intervalMs / 1000} s · Ctrl-C to exit\n`;
      deps.stdout.write(`${tty ? CLEAR : ''}${frame}${footer}`);
      await deps.sleep(intervalMs, stop.signal);
    }
  } finally {
    unsubscribe();
    if (tty) deps.stdout.write(SHOW_CURSOR);
    deps.stdout.write('stopped watching\n');
  }
}
