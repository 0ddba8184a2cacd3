/**
 * Test helpers for the NodejsFunction suites: a stack factory, synth-to-JSON, and a minimal ZIP reader (so the tests
 * need no `unzip` binary).
 */
import * as zlib from 'zlib';
import { App, TerraformResource, TerraformStack, Testing } from 'cdktf';
import type { IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** A stack with an AWS provider, in a test app. */
export function newStack(app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

/** The synthesized reference `${<type>.<logical id>.<attribute>}` to the resource `<child id>` of `parent`. */
export function refTo(parent: IConstruct, childPath: string, attribute: string): string {
  const resource = childPath
    .split('/')
    .reduce<IConstruct>((c, id) => c.node.findChild(id), parent) as TerraformResource;
  return `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}}`;
}

/** Synthesized Terraform JSON of `stack`, parsed. */
export interface SynthJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: Record<string, Record<string, Record<string, unknown>>>;
}

export function synthJson(stack: TerraformStack): SynthJson {
  return JSON.parse(Testing.synth(stack)) as SynthJson;
}

/** All resources of `type`, as an array of their bodies. */
export function resourcesOf(json: SynthJson, type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {});
}

/** The only resource of `type`; fails the test if there is not exactly one. */
export function onlyResource(json: SynthJson, type: string): Record<string, unknown> {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The `aws_iam_policy_document` data source a `${data.aws_iam_policy_document.X.json}` reference points at. */
export function policyDocumentFor(json: SynthJson, reference: unknown): { statement: Record<string, unknown>[] } {
  const match = /\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}/.exec(String(reference));
  if (!match) throw new Error(`not a policy document reference: ${String(reference)}`);
  return json.data.aws_iam_policy_document[match[1]] as { statement: Record<string, unknown>[] };
}

/** One ZIP entry as read back from an archive. */
export interface ReadZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly dosTime: number;
  readonly dosDate: number;
  readonly unixMode: number;
}

/** Reads a (non-ZIP64, DEFLATE or STORE) archive through its central directory and checks each CRC. */
export function readZip(zip: Buffer): ReadZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: ReadZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory header at ${p}`);
    const method = zip.readUInt16LE(p + 10);
    const dosTime = zip.readUInt16LE(p + 12);
    const dosDate = zip.readUInt16LE(p + 14);
    const crc = zip.readUInt32LE(p + 16);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const unixMode = zip.readUInt32LE(p + 38) >>> 16;
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    const localNameLength = zip.readUInt16LE(localOffset + 26);
    const localExtraLength = zip.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(start, start + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    if (zlib.crc32 && zlib.crc32(data) !== crc) throw new Error(`CRC mismatch for ${name}`);
    entries.push({ name, data, dosTime, dosDate, unixMode });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
