import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadAppConfig, parseAppConfig } from '../../../lib/config/app-config';
import type { JsonObject } from '../../support/json';

const valid = {
  stacks: [
    {
      name: 'prod',
      region: 'eu-west-1',
      clusterName: 'prod',
      subnetIds: ['subnet-0000000000000000a'],
      securityGroupIds: ['sg-0000000000000000a'],
      nodeGroups: [{ name: 'x86', amiSource: { type: 'pinned', amiId: 'ami-0123456789abcdef0' } }],
    },
  ],
};

function problemsOf(raw: unknown): string[] {
  try {
    parseAppConfig(raw, 'config.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('app config', () => {
  test('a valid config parses', () => {
    expect(parseAppConfig(valid, 'config.json').stacks[0].nodeGroups[0].name).toBe('x86');
  });

  test('every problem is reported at once, each with the path of the offending key', () => {
    // GIVEN a config with a wrong type, a typo'd key, a bad enum and a bad region
    const raw: JsonObject = structuredClone(valid);
    raw.stacks[0].region = 'Ireland';
    raw.stacks[0].nodeGroups[0].minSize = 'two';
    raw.stacks[0].nodeGroups[0].instanceRefresh = { minHealthyPercent: 100 };
    raw.stacks[0].drainOwner = 'both';
    // WHEN parsed THEN all four problems come back with their paths
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stacks\[0\]\.region: expected an AWS region such as "eu-west-1"/),
        expect.stringMatching(
          /^stacks\[0\]\.nodeGroups\[0\]\.minSize: Expected number, received string \(got string\)/,
        ),
        expect.stringMatching(
          /^stacks\[0\]\.nodeGroups\[0\]\.instanceRefresh: Unrecognized key\(s\) in object: 'minHealthyPercent' — remove or fix the spelling/,
        ),
        expect.stringMatching(/^stacks\[0\]\.drainOwner: Invalid enum value/),
      ]),
    );
  });

  test('duplicate stack names are rejected', () => {
    expect(() => parseAppConfig({ stacks: [valid.stacks[0], valid.stacks[0]] }, 'c.json')).toThrow(
      /stacks\[\]\.name: "prod" is used twice/,
    );
  });

  test('an unreadable or malformed file is a ConfigError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ not json');
    expect(() => loadAppConfig(file)).toThrow(/Invalid config .*bad\.json:\n {2}- not valid JSON/);
    expect(() => loadAppConfig(join(dir, 'missing.json'))).toThrow(/cannot read the file/);
  });
});
