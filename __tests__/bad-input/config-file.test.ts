/**
 * Bad-input matrix, the app's config file: schema errors (parseAppConfig) are reported all at once, each with the
 * path of the offending key; semantic errors (buildApp → the constructs) are rejected before synth with the uniform
 * construct message. app-config.test.ts checks the parser's basics; this table adds the settings it does not touch.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { ConfigError, parseAppConfig } from '../../lib/config/app-config';
import { buildApp } from '../../main';
import { formatOf } from './support/matrix';

import type { JsonObject as Raw } from '../support/json';

function validConfig(): Raw {
  return {
    stacks: [
      {
        name: 'prod',
        region: 'eu-west-1',
        clusterName: 'prod',
        subnetIds: ['subnet-0000000000000000a'],
        securityGroupIds: ['sg-0000000000000000a'],
        nodeGroups: [{ name: 'x86' }],
      },
      {
        name: 'stage',
        region: 'eu-central-1',
        clusterName: 'stage',
        subnetIds: ['subnet-0000000000000000b'],
        securityGroupIds: ['sg-0000000000000000b'],
        nodeGroups: [{ name: 'x86' }],
      },
    ],
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    parseAppConfig(raw, 'config.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

interface SchemaRow {
  readonly name: string;
  readonly mutate: (config: Raw) => void;
  /** The problem line must start with this path. */
  readonly path: string;
  /** …and mention this (the bad value, the unknown key or the allowed values). */
  readonly mentions: string | RegExp;
}

const SCHEMA: SchemaRow[] = [
  {
    name: 'a misspelt top-level node group key',
    mutate: (c) => (c.stacks[0].nodeGroup = []),
    path: 'stacks[0]',
    mentions: "'nodeGroup'",
  },
  {
    name: 'a spot strategy AWS does not have',
    mutate: (c) => (c.stacks[0].nodeGroups[0].mixedInstances = { spotAllocationStrategy: 'cheapest' }),
    path: 'stacks[0].nodeGroups[0].mixedInstances.spotAllocationStrategy',
    mentions: "received 'cheapest'",
  },
  {
    name: 'an architecture spelt "x86"',
    mutate: (c) => (c.stacks[0].nodeGroups[0].architecture = 'x86'),
    path: 'stacks[0].nodeGroups[0].architecture',
    mentions: "received 'x86'",
  },
  {
    name: 'an AMI source type that does not exist',
    mutate: (c) => (c.stacks[0].nodeGroups[0].amiSource = { type: 'latest' }),
    path: 'stacks[0].nodeGroups[0].amiSource.type',
    mentions: "'ecs-optimized' | 'ssm-parameter' | 'pinned'",
  },
  {
    name: 'a pinned AMI source without an id',
    mutate: (c) => (c.stacks[0].nodeGroups[0].amiSource = { type: 'pinned' }),
    path: 'stacks[0].nodeGroups[0].amiSource.amiId',
    mentions: 'Required',
  },
  {
    name: 'a launch hook default result "RETRY"',
    mutate: (c) => (c.stacks[0].nodeGroups[0].launchHook = { defaultResult: 'RETRY' }),
    path: 'stacks[0].nodeGroups[0].launchHook.defaultResult',
    mentions: "received 'RETRY'",
  },
  {
    name: 'a fractional max size',
    mutate: (c) => (c.stacks[1].nodeGroups[0].maxSize = 2.5),
    path: 'stacks[1].nodeGroups[0].maxSize',
    mentions: 'Expected integer',
  },
  {
    name: 'a public IP flag given as a string',
    mutate: (c) => (c.stacks[1].nodeGroups[0].associatePublicIpAddress = 'false'),
    path: 'stacks[1].nodeGroups[0].associatePublicIpAddress',
    mentions: 'Expected boolean',
  },
  {
    name: 'an S3 backend without a bucket',
    mutate: (c) => (c.stacks[1].backend = { type: 's3', key: 'state' }),
    path: 'stacks[1].backend.bucket',
    mentions: 'Required',
  },
  {
    name: 'a stack name with a slash',
    mutate: (c) => (c.stacks[1].name = 'prod/eu'),
    path: 'stacks[1].name',
    mentions: 'letters, digits',
  },
  {
    name: 'no node groups',
    mutate: (c) => (c.stacks[1].nodeGroups = []),
    path: 'stacks[1].nodeGroups',
    mentions: 'add at least one node group',
  },
  {
    name: 'tags with a number value',
    mutate: (c) => (c.stacks[0].tags = { cost: 42 }),
    path: 'stacks[0].tags.cost',
    mentions: 'Expected string',
  },
];

describe('bad config file: schema errors name the path of the offending key', () => {
  test.each(SCHEMA.map((row) => [row.name, row] as const))('rejects %s', (_name, row) => {
    // GIVEN a valid two-stack config with one bad setting WHEN parsed THEN exactly that problem, at its path
    const config = validConfig();
    row.mutate(config);
    const problems = problemsOf(config);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${row.path}: `)).toBe(true);
    expect(problems[0]).toEqual(expect.stringContaining(typeof row.mentions === 'string' ? row.mentions : ''));
  });

  test('every schema problem of every stack is reported at once (one ConfigError, one line each, file named)', () => {
    // GIVEN all the bad settings above in one file (minus two that would overwrite another row's key)
    const rows = SCHEMA.filter(
      (row) => !['an AMI source type that does not exist', 'no node groups'].includes(row.name),
    );
    const config = validConfig();
    rows.forEach((row) => row.mutate(config));
    // WHEN parsed THEN one error lists every path
    let error: ConfigError | undefined;
    try {
      parseAppConfig(config, 'cfg/prod.json');
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message.split('\n')[0]).toBe('Invalid config cfg/prod.json:');
    expect(error?.problems).toHaveLength(rows.length);
    for (const row of rows)
      expect(error?.problems).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^${row.path.replace(/[.[\]]/g, '\\$&')}: `))]),
      );
  });
});

describe('bad config file: semantic errors are rejected by buildApp before anything is synthesized', () => {
  function writeConfig(config: Raw): string {
    const file = join(mkdtempSync(join(tmpdir(), 'bad-input-')), 'config.json');
    writeFileSync(file, JSON.stringify(config));
    return file;
  }

  const SEMANTIC: { name: string; mutate: (c: Raw) => void; prop: string; value: string }[] = [
    {
      name: 'minSize above maxSize',
      mutate: (c) => Object.assign(c.stacks[0].nodeGroups[0], { minSize: 5, maxSize: 3, desiredCapacity: 4 }),
      prop: 'NodeGroup[x86].minSize',
      value: '5',
    },
    {
      name: 'a pinned AMI id that is not one',
      mutate: (c) => (c.stacks[0].nodeGroups[0].amiSource = { type: 'pinned', amiId: 'ami-xyz' }),
      prop: 'AmiSource.pinned(amiId)',
      value: '"ami-xyz"',
    },
    {
      name: 'IMDS hop limit 65',
      mutate: (c) => (c.stacks[1].nodeGroups[0].httpPutResponseHopLimit = 65),
      prop: 'NodeGroup[x86].httpPutResponseHopLimit',
      value: '65',
    },
    {
      name: 'an arm64 type in an x86_64 group',
      mutate: (c) => (c.stacks[1].nodeGroups[0].instanceTypes = ['c7g.xlarge']),
      prop: 'NodeGroup[x86].instanceTypes',
      value: '"c7g.xlarge"',
    },
    {
      name: 'a root volume below the AMI snapshot',
      mutate: (c) => (c.stacks[0].nodeGroups[0].rootVolumeSizeGiB = 20),
      prop: 'NodeGroup[x86].rootVolumeSizeGiB',
      value: '20',
    },
    {
      name: 'a node group name AWS resource names cannot take',
      mutate: (c) => (c.stacks[0].nodeGroups[0].name = 'GPU nodes'),
      prop: 'NodeGroup[GPU nodes].name',
      value: '"GPU nodes"',
    },
  ];

  test.each(SEMANTIC.map((row) => [row.name, row] as const))(
    'rejects %s with the uniform construct message',
    (_name, row) => {
      // GIVEN a schema-valid config with one semantic error
      const config = validConfig();
      row.mutate(config);
      const app = Testing.app();
      // WHEN the app is built THEN the construct rejects it: setting, value and fix, before synth — reported as a
      // config problem that names the stack it belongs to (buildApp collects every stack's error)
      let error: unknown;
      try {
        buildApp(app, writeConfig(config));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        new RegExp(`^stacks\\[\\d\\] \\([\\w-]+\\): ${formatOf(row.prop, row.value).source.slice(1)}`),
      );
    },
  );
});
