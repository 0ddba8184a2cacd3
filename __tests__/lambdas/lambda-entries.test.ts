/**
 * The four Lambda entry files (lib/lambda-entry.ts PRODUCT_FUNCTIONS): each builds its handler at module load, so a
 * missing or invalid config fails the cold start naming the variable, and a valid config yields a handler. The
 * environment is stubbed here, in the test; the entries read the real process.env like Lambda does.
 */
import { PRODUCT_FUNCTIONS, type ProductFunction } from '../../lib/lambda-entry';
import { testConfigInput } from './gates/helpers/gate-test-kit';
import { monitorConfig } from './monitor/fixtures';
import { watcherConfigInput } from './watcher/helpers/watcher-kit';

/** The config variable each entry reads, and a valid value for it. */
const CONFIG_OF: Record<ProductFunction, { variable: string; valid: () => unknown }> = {
  'gates/launch-gate': { variable: 'GATE_CONFIG', valid: () => testConfigInput() },
  'gates/drain-gate': { variable: 'GATE_CONFIG', valid: () => testConfigInput() },
  'watcher/ami-watcher': { variable: 'WATCHER_CONFIG', valid: () => watcherConfigInput() },
  'monitor/agent-monitor': { variable: 'MONITOR_CONFIG', valid: () => monitorConfig() },
};

const importEntry = async (name: ProductFunction): Promise<{ handler: unknown }> => {
  let entry: { handler: unknown } | undefined;
  await jest.isolateModulesAsync(async () => {
    entry = (await import(`../../lambdas/${name}`)) as { handler: unknown };
  });
  if (!entry) throw new Error(`${name} did not load`);
  return entry;
};

describe.each(PRODUCT_FUNCTIONS)('the %s entry', (name) => {
  const saved = { ...process.env };
  const { variable, valid } = CONFIG_OF[name];
  afterEach(() => (process.env = { ...saved }));

  it('fails the cold start with a message naming its config variable when it is not set', async () => {
    delete process.env[variable];
    await expect(importEntry(name)).rejects.toThrow(new RegExp(`${variable} is not set`));
  });

  it('fails the cold start naming the variable when the config is not JSON', async () => {
    process.env[variable] = '{nope';
    await expect(importEntry(name)).rejects.toThrow(new RegExp(`${variable} is not valid JSON`));
  });

  it('exports a handler function when the config is valid', async () => {
    process.env[variable] = JSON.stringify(valid());
    const entry = await importEntry(name);
    expect(typeof entry.handler).toBe('function');
  });
});
