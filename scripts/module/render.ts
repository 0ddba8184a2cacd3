/**
 * Turns the synthesized stack (cdk.tf.json) into a reusable Terraform module directory:
 * - no provider blocks, no backend, no cdktf stack metadata: the caller configures AWS and state, and the module can be
 *   instantiated with `for_each`;
 * - a `terraform` block with `required_version` and `required_providers`;
 * - Lambda archives copied to `assets/<function>.zip` and referenced through `${path.module}`;
 * - references to repeated resources get their index (see {@link indexRepeatedReferences});
 * - deterministic files: keys sorted, 2-space indentation, one file per block kind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MOVED_BLOCKS } from './moved-blocks';

/** Terraform versions the module needs: `optional(type, default)` needs 1.3; tested with 1.11. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.5';
/** hashicorp/aws range: 5.100.0 is installed and tested; 6.x type-checked and reviewed (docs/provider-versions.md). */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.100.0, < 7.0.0';

/** A Terraform JSON document or block, walked by key (values narrowed where read). */
type Json = Record<string, unknown> & { resource?: Blocks; data?: Blocks; output?: unknown; locals?: unknown };
/** `resource` / `data` of Terraform JSON: type → name → block. */
type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** The files of the module, by name (JSON text), plus the assets to copy (target name → source file). */
export interface RenderedModule {
  readonly files: Record<string, string>;
  readonly assets: Record<string, string>;
}

const FOR_EACH_MARK = 'for_each';

/** How a block is repeated: `for_each` (over the node groups), `count` (a toggle, by its condition), or not at all. */
type Repetition = { readonly kind: 'for_each' } | { readonly kind: 'count'; readonly condition: string } | undefined;

function repetitionOf(block: Json): Repetition {
  if (block[FOR_EACH_MARK] !== undefined) return { kind: 'for_each' };
  if (block.count !== undefined) return { kind: 'count', condition: String(block.count) };
  return undefined;
}

/** Addresses (`type.name`, `data.type.name`) of every repeated block. */
function repeatedAddresses(config: Json): Map<string, Repetition> {
  const found = new Map<string, Repetition>();
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {})) {
      for (const [name, block] of Object.entries(blocks)) {
        const repetition = repetitionOf(block);
        if (repetition) found.set(`${prefix}${type}.${name}`, repetition);
      }
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

const escape = (address: string) => address.replace(/\./g, '\\.');
/** `address.attr(.attr|[n])*`: a reference to an unindexed instance of `address` (group 1: the traversal after it). */
const traversal = (address: string) =>
  new RegExp(`(?<![\\w.])${escape(address)}\\.([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*|\\[[0-9]+\\])*)`, 'g');

/**
 * The constructs reference each other directly (`aws_launch_template.node_group.id`); once blocks are repeated those
 * references need an index:
 * - to a block iterated over the node groups, from a block iterated over them too: the same node group's instance,
 *   `[each.key]` (from anywhere else it is a bug in the module: the build fails);
 * - to a block toggled by `count`, from a block with the same toggle: `[0]` (both exist or neither); from anywhere
 * else:   `one(address[*].attr)`, which is null when the toggle is off.
 */
export function indexRepeatedReferences(config: Json): Json {
  const repeated = repeatedAddresses(config);
  const rewrite = (where: string, self: Repetition) => (s: string) => {
    let text = s;
    for (const [address, target] of repeated) {
      const pattern = traversal(address);
      if (!pattern.test(text)) continue;
      if (target?.kind === 'for_each') {
        if (self?.kind !== 'for_each')
          throw new Error(`${where} refers to the iterated ${address} without an index: ${s}`);
        text = text.replace(traversal(address), `${address}[each.key].$1`);
      } else if (self?.kind === 'count' && target?.kind === 'count' && self.condition === target.condition) {
        text = text.replace(traversal(address), `${address}[0].$1`);
      } else {
        text = text.replace(traversal(address), `one(${address}[*].$1)`);
      }
    }
    return text;
  };
  const out: Json = { ...config };
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    const blocksOfKind = config[kind];
    if (!blocksOfKind) continue;
    const indexed: Blocks = {};
    out[kind] = indexed;
    for (const [type, blocks] of Object.entries(blocksOfKind)) {
      indexed[type] = {};
      for (const [name, block] of Object.entries(blocks))
        indexed[type][name] = mapStrings(block, rewrite(`${prefix}${type}.${name}`, repetitionOf(block))) as Json;
    }
  }
  if (config.output) out.output = mapStrings(config.output, rewrite('an output', undefined));
  if (config.locals) out.locals = mapStrings(config.locals, rewrite('a local', undefined));
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
  const synthesized = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as Json;
  const { '//': _metadata, provider: _provider, terraform: _terraform, ...rest } = synthesized;
  const config = indexRepeatedReferences(rest);
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
    'moved.tf.json': asText({ moved: MOVED_BLOCKS.map(([from, to]) => ({ from, to })) }),
  };
  return { files, assets };
}

/** Writes a rendered module into `outDir` (generated files replaced; README.md and other hand-written files kept). */
export function writeModule(rendered: RenderedModule, outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of fs.readdirSync(outDir)) if (file.endsWith('.tf.json')) fs.rmSync(path.join(outDir, file));
  fs.rmSync(path.join(outDir, 'assets'), { recursive: true, force: true });
  for (const [name, text] of Object.entries(rendered.files)) fs.writeFileSync(path.join(outDir, name), text);
  fs.mkdirSync(path.join(outDir, 'assets'), { recursive: true });
  for (const [name, source] of Object.entries(rendered.assets))
    fs.copyFileSync(source, path.join(outDir, 'assets', name));
}
