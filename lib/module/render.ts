/**
 * Turns the synthesized stack (cdk.tf.json) into a reusable Terraform module directory:
 * - no provider blocks, no backend, no cdktf stack metadata: the caller configures AWS and state, and the module can be
 *   instantiated with `for_each`;
 * - a `terraform` block with `required_version` and `required_providers`;
 * - Lambda archives copied to `assets/<function>.zip` and referenced through `${path.module}`;
 * - references between resources iterated over the same map get `[each.key]` (see {@link indexIteratedReferences});
 * - deterministic files: keys sorted, 2-space indentation, one file per block kind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Terraform versions the module needs: `optional(type, default)` needs 1.3; tested with 1.11. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.5';
/** hashicorp/aws range: only 5.100.0 is installed and tested (the lower bound); 6.x changes resources we use. */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.100.0, < 6.0.0';

/** A Terraform JSON block: attribute name → value. */
type Block = Record<string, unknown>;
/** `resource` / `data` of Terraform JSON: type → name → block. */
type Blocks = Record<string, Record<string, Block>>;
/** The top level of a synthesized Terraform JSON configuration. */
interface TerraformJson {
  readonly resource?: Blocks;
  readonly data?: Blocks;
  readonly [key: string]: unknown;
}

/** The files of the module, by name (JSON text), plus the assets to copy (target name → source file). */
export interface RenderedModule {
  readonly files: Record<string, string>;
  readonly assets: Record<string, string>;
}

const FOR_EACH_MARK = 'for_each';

/** Addresses (`type.name`, `data.type.name`) of every block with `for_each`. */
function iteratedAddresses(config: TerraformJson): Set<string> {
  const found = new Set<string>();
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {})) {
      for (const [name, block] of Object.entries(blocks))
        if (block[FOR_EACH_MARK] !== undefined) found.add(`${prefix}${type}.${name}`);
    }
  }
  return found;
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

/**
 * The constructs reference each other directly (`aws_launch_template.node_group.id`). Inside a resource iterated over
 * the node groups, such a reference to another iterated resource means "the same node group's instance", so it gets
 * `[each.key]`. Anywhere else an unindexed reference to an iterated resource is a bug in the module: fail the build.
 */
export function indexIteratedReferences(config: TerraformJson): TerraformJson {
  const iterated = iteratedAddresses(config);
  const pattern = (address: string) => new RegExp(`(?<![\\w.])${address.replace(/\./g, '\\.')}\\.(?=[a-z_])`, 'g');
  const out: Record<string, unknown> = { ...config };
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    const blocksOfKind = config[kind];
    if (!blocksOfKind) continue;
    const indexed: Record<string, Record<string, unknown>> = {};
    out[kind] = indexed;
    for (const [type, blocks] of Object.entries(blocksOfKind)) {
      indexed[type] = {};
      for (const [name, block] of Object.entries(blocks)) {
        const self = block[FOR_EACH_MARK] !== undefined;
        indexed[type][name] = mapStrings(block, (s) => {
          let text = s;
          for (const address of iterated) {
            if (!pattern(address).test(text)) continue;
            if (!self)
              throw new Error(`${prefix}${type}.${name} refers to the iterated ${address} without an index: ${s}`);
            text = text.replace(pattern(address), `${address}[each.key].`);
          }
          return text;
        });
      }
    }
  }
  const outputsAndLocals = JSON.stringify({ output: config.output, locals: config.locals });
  for (const address of iterated) {
    if (pattern(address).test(outputsAndLocals))
      throw new Error(`an output or local refers to the iterated ${address} without an index`);
  }
  return out;
}

/** Recursively sorted keys: byte-identical output whatever order the constructs were built in. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const asText = (value: unknown) => `${JSON.stringify(sortKeys(value), null, 2)}\n`;

/** Renders the stack directory's cdk.tf.json as module files. */
export function renderModule(stackDir: string): RenderedModule {
  const synthesized = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  const { '//': _metadata, provider: _provider, terraform: _terraform, ...rest } = synthesized;
  const config = indexIteratedReferences(rest);
  const assets: Record<string, string> = {};
  for (const [name, fn] of Object.entries(config.resource?.aws_lambda_function ?? {})) {
    if (typeof fn.filename !== 'string' || !fn.filename.startsWith('assets/')) continue;
    const target = `${name.replace(/_/g, '-')}.zip`;
    assets[target] = path.join(stackDir, fn.filename);
    fn.filename = `\${path.module}/assets/${target}`;
  }
  const versions = {
    terraform: {
      required_version: REQUIRED_TERRAFORM_VERSION,
      required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT } },
    },
  };
  const files: Record<string, string> = {
    'versions.tf.json': asText(versions),
    'variables.tf.json': asText({ variable: config.variable }),
    'main.tf.json': asText({ locals: config.locals, data: config.data, resource: config.resource }),
    'outputs.tf.json': asText({ output: config.output }),
  };
  return { files, assets };
}

/**
 * Writes a rendered module into `outDir` (removing generated files first, keeping README.md and other hand-written
 * files).
 */
export function writeModule(rendered: RenderedModule, outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of fs.readdirSync(outDir)) if (file.endsWith('.tf.json')) fs.rmSync(path.join(outDir, file));
  fs.rmSync(path.join(outDir, 'assets'), { recursive: true, force: true });
  for (const [name, text] of Object.entries(rendered.files)) fs.writeFileSync(path.join(outDir, name), text);
  fs.mkdirSync(path.join(outDir, 'assets'), { recursive: true });
  for (const [name, source] of Object.entries(rendered.assets))
    fs.copyFileSync(source, path.join(outDir, 'assets', name));
}
