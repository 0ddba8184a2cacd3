/**
 * `status --watch` in a REAL terminal: tmux runs the real CLI with canned AWS responses injected through its
 * dependencies (support/fixture-cli.ts), and `capture-pane` reads the screen.
 * Needs tmux (`apt-get install -y tmux`); the test fails, never skips, when it is missing.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { midRefreshFixtureFile } from './support/mid-refresh-fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const SESSION = `ecs-ami-rollout-watch-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);

async function waitForScreen(predicate: (text: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = screen();
    if (predicate(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
}

jest.setTimeout(120_000);

let workDir: string;

beforeAll(() => {
  try {
    execFileSync('tmux', ['-V']);
  } catch {
    throw new Error('tmux is not installed: run `apt-get install -y tmux` (the --watch test drives a real terminal)');
  }
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-tmux-'));
  fs.writeFileSync(path.join(workDir, 'fixture.json'), JSON.stringify(midRefreshFixtureFile()));
  // A clean shell in a 150×50 terminal; TERM inside tmux is a colour terminal, so this exercises the TTY path.
  tmux(
    'new-session',
    '-d',
    '-s',
    SESSION,
    '-x',
    '150',
    '-y',
    '50',
    '-c',
    ROOT,
    'env -u NO_COLOR bash --norc --noprofile',
  );
});

afterAll(() => {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // already gone
  }
  fs.rmSync(workDir, { recursive: true, force: true });
});

test('redraws in place every interval and exits cleanly on Ctrl-C', async () => {
  // GIVEN the watch running in a terminal against the mid-refresh cluster
  const fixture = path.join(workDir, 'fixture.json');
  tmux(
    'send-keys',
    '-t',
    SESSION,
    `clear; node_modules/.bin/ts-node --swc __tests__/cli/support/fixture-cli.ts ${fixture} ` +
      `status --cluster web --watch --interval 1; echo "EXIT=$?"`,
    'Enter',
  );

  // WHEN it has redrawn at least twice
  const frame = await waitForScreen((text) => /refresh #[2-9]/.test(text), 'the second redraw');

  // THEN the screen holds exactly one frame, starting at the top (clear + redraw, no scrolling copies)
  const lines = frame.split('\n');
  expect(lines[0]).toMatch(/^Cluster web \(eu-west-1\) · 2025-03-01T12:00:00Z/);
  expect(frame.match(/^Cluster web/gm)).toHaveLength(1);
  // a TTY gets the Unicode bar and the gate's reasons
  expect(frame).toMatch(/InProgress \u2588{8}\u2591{12} 40%/);
  expect(frame).toContain(
    'i-0old2  Terminating:Wait for 5m 40s  drain gate: WAIT — ' +
      'waiting: 3 service task(s) still running; service web not stable',
  );
  expect(frame).toMatch(/refresh #\d+ · every 1 s · Ctrl-C to exit/);

  // WHEN the operator presses Ctrl-C
  tmux('send-keys', '-t', SESSION, 'C-c');

  // THEN the watch stops with exit code 0 and says so
  const after = await waitForScreen((text) => /EXIT=\d+/.test(text), 'the exit code');
  expect(after).toMatch(/stopped watching\s*\n\s*EXIT=0/);
});
