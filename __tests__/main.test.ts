import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { buildApp, configFileFor, DEFAULT_CONFIG_FILE } from '../main';

describe('main.ts app', () => {
  test('the embedded example builds one stack per config entry with provider region and backend', () => {
    // GIVEN the default config WHEN the app is built
    const app = Testing.app();
    const stacks = buildApp(app, DEFAULT_CONFIG_FILE);
    // THEN one stack with the configured region and a local backend
    expect(stacks.map((s) => s.node.id)).toEqual(['ecs-ami-rollout-example']);
    const json = JSON.parse(Testing.synth(stacks[0]));
    expect(json.provider.aws[0].region).toBe('eu-west-1');
    expect(json.terraform.backend.local.path).toBe('terraform.ecs-ami-rollout-example.tfstate');
    expect(Object.keys(json.output)).toEqual(
      expect.arrayContaining(['cluster_name', 'cluster_arn', 'autoscaling_group_names']),
    );
  });

  test('the config path comes from the environment, then cdktf context, then the embedded example', () => {
    const withContext = new App({ context: { configFile: '/ctx.json' }, skipValidation: true });
    expect(configFileFor(withContext, { ECS_AMI_ROLLOUT_CONFIG: '/env.json' })).toBe('/env.json');
    expect(configFileFor(withContext, {})).toBe('/ctx.json');
    expect(configFileFor(new App({ skipValidation: true }), {})).toBe(DEFAULT_CONFIG_FILE);
  });

  test('an S3 backend from the config is encrypted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'main-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        stacks: [
          {
            name: 's3',
            region: 'us-east-1',
            backend: { type: 's3', bucket: 'tf-state', key: 'ecs/prod.tfstate', useLockfile: true },
            clusterName: 'prod',
            subnetIds: ['subnet-0000000000000000a'],
            securityGroupIds: ['sg-0000000000000000a'],
            nodeGroups: [{ name: 'x86' }],
          },
        ],
      }),
    );
    const [stack] = buildApp(Testing.app(), file);
    expect(JSON.parse(Testing.synth(stack)).terraform.backend.s3).toEqual({
      bucket: 'tf-state',
      key: 'ecs/prod.tfstate',
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
    });
  });
});

describe('main.ts app errors', () => {
  test('construct errors of every stack are reported at once, each with the stack it belongs to', () => {
    // GIVEN two stacks, each with an invalid node group
    const dir = mkdtempSync(join(tmpdir(), 'main-'));
    const file = join(dir, 'config.json');
    const stack = (name: string, nodeGroup: object) => ({
      name,
      region: 'eu-west-1',
      clusterName: name,
      subnetIds: ['subnet-0000000000000000a'],
      securityGroupIds: ['sg-0000000000000000a'],
      nodeGroups: [nodeGroup],
    });
    writeFileSync(
      file,
      JSON.stringify({
        stacks: [
          stack('a', { name: 'x86', minSize: 5, maxSize: 2, desiredCapacity: 2 }),
          stack('b', { name: 'x86', httpPutResponseHopLimit: 0 }),
        ],
      }),
    );
    // WHEN the app is built THEN both problems come back in one error
    expect(() => buildApp(Testing.app(), file)).toThrow(
      /stacks\[0\] \(a\): NodeGroup\[x86\]\.minSize: 5 is invalid[\s\S]*stacks\[1\] \(b\): NodeGroup\[x86\]\.httpPutResponseHopLimit: 0 is invalid/,
    );
  });
});
