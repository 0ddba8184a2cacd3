/**
 * Terminal output: colours only on a TTY and never with NO_COLOR (picocolors also honours --no-color and
 * FORCE_COLOR). The TTY check is per stream, so `status | less` and CI logs stay plain.
 */
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Colours for `stream`: off for NO_COLOR, on for FORCE_COLOR, else only when the stream is a colour-capable TTY. */
export function colorsFor(stream: OutputStream, env: NodeJS.ProcessEnv = process.env): Colors {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return pc.createColors(false);
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return pc.createColors(true);
  return pc.createColors(pc.isColorSupported && stream.isTTY === true && env.TERM !== 'dumb');
}
