/**
 * fast-check arbitraries of events a handler must IGNORE, built by mutating AWS's documented sample events
 * (`__tests__/fixtures/aws-events/`) that were first adapted to the handler's own configuration (so each template is a
 * valid event, and every mutation below turns it into an invalid or foreign one by construction):
 *
 * - drop: remove one or several required keys (also models truncated events);
 * - retype: give a required key a non-string value (numbers, booleans, null, arrays, objects, hostile objects);
 * - foreign: swap an identity (ASG name, hook name, cluster ARN, topic ARN) for a near miss or a random string;
 * - wrong detail-type / wrong source / irrelevant status;
 * - truncated JSON text (the payload arrives as a string), random JSON values, hostile objects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'aws-events');

/** A documented sample event (never modified: a deep copy). */
export function fixture(file: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

/** A valid event for the handler under test, and what makes it valid. */
export interface EventTemplate {
  readonly label: string;
  readonly event: Json;
  /** Dot paths (array indexes as numbers) that must be present and strings for the event to be handled. */
  readonly required: readonly string[];
  /** Paths whose value must be one of the configured ones. */
  readonly identities: readonly { readonly path: string; readonly configured: readonly string[] }[];
  /** A status-like path and the values the handler acts on. */
  readonly status?: { readonly path: string; readonly accepted: readonly string[] };
  /** An SNS → Lambda event (no EventBridge envelope: no detail-type/source mutations). */
  readonly sns?: boolean;
}

export interface HandlerSpec {
  readonly templates: readonly EventTemplate[];
  /** Every detail-type the handler acts on (for some source): a "wrong" detail-type is none of these. */
  readonly acceptedDetailTypes: ReadonlySet<string>;
  /** Whether `{}`, `[]`, null run the handler (manual invocation); such payloads are then never generated. */
  readonly runsOnEmptyPayload: boolean;
}

export function adapt(file: string, envelope: Json, detail: Json = {}): Json {
  const event = fixture(file);
  return { ...event, ...envelope, detail: { ...event.detail, ...detail } };
}

function segments(path: string): (string | number)[] {
  return path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value));
}

/** A copy of `event` with `path` set (`remove`: deleted; array elements are spliced out). */
export function withPath(event: Json, path: string, value: unknown, remove = false): Json {
  const copy = clone(event);
  const keys = segments(path);
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return copy;
    node = node[key];
  }
  if (node === null || typeof node !== 'object') return copy;
  const last = keys[keys.length - 1];
  if (!remove) node[last] = value;
  else if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else delete node[last];
  return copy;
}

/**
 * Objects whose own keys shadow Object.prototype (JSON.parse makes `__proto__` an own key): `String(x)` or template
 * literals throw on some of them, `in` checks and spreads behave unexpectedly on others.
 */
export const hostileObject: fc.Arbitrary<Json> = fc
  .subarray(['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', 'toJSON', 'then'], { minLength: 1 })
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: keys.length, maxLength: keys.length }),
    ),
  )
  .map(([keys, values]) =>
    JSON.parse(`{${keys.map((k, i) => `${JSON.stringify(k)}:${JSON.stringify(values[i] ?? null)}`).join(',')}}`),
  );

/** Values that are not a (non-empty) string. */
export const nonString: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  hostileObject,
);

/** Near misses of a configured value (case, whitespace, suffix, another account or region) and random strings. */
function foreignValue(configured: readonly string[]): fc.Arbitrary<string> {
  const nearMisses = configured.flatMap((value) => [
    value.toUpperCase(),
    ` ${value}`,
    `${value} `,
    `${value}-2`,
    value.slice(0, -1),
    value.replace(/\d{12}/, '999999999999'),
    value.replace(/:(us|eu)-[a-z]+-\d:/, ':ap-south-1:'),
    `${value}/`,
  ]);
  return fc
    .oneof(fc.constantFrom(...nearMisses), fc.string(), fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/))
    .filter((v) => !configured.includes(v));
}

export const KNOWN_DETAIL_TYPES = [
  'EC2 Instance-launch Lifecycle Action',
  'EC2 Instance-terminate Lifecycle Action',
  'ECS Container Instance State Change',
  'ECS Task State Change',
  'ECS Service Action',
  'ECS Deployment State Change',
  'Scheduled Event',
  'EC2 Instance Launch Successful',
  'EC2 Instance Terminate Successful',
  'EC2 Instance State-change Notification',
  'EC2 Spot Instance Interruption Warning',
  'EC2 Auto Scaling Instance Refresh Started',
  'EC2 Auto Scaling Instance Refresh Failed',
  'EC2 Auto Scaling Instance Refresh Started Baking',
  'AWS API Call via CloudTrail',
  'Parameter Store Change',
];

const KNOWN_SOURCES = [
  'aws.autoscaling',
  'aws.ecs',
  'aws.ec2',
  'aws.events',
  'aws.ssm',
  'aws.health',
  'custom.app',
  'aws.sns',
];

/** Mutations of one template into events the handler must ignore. */
function mutationsOf(template: EventTemplate, spec: HandlerSpec): fc.Arbitrary<{ kind: string; event: Json }>[] {
  const { event } = template;
  const tag = (kind: string) => (e: Json) => ({ kind: `${template.label}: ${kind}`, event: e });
  const required = template.sns ? [...template.required] : [...template.required, 'detail-type', 'source'];
  const envelope: fc.Arbitrary<{ kind: string; event: Json }>[] = template.sns
    ? []
    : [
        fc
          .oneof(fc.constantFrom(...KNOWN_DETAIL_TYPES), fc.string())
          .filter((dt) => !spec.acceptedDetailTypes.has(dt))
          .map((dt) => tag('wrong detail-type')({ ...clone(event), 'detail-type': dt })),
        fc
          .oneof(fc.constantFrom(...KNOWN_SOURCES), fc.string())
          .filter((source) => source !== event.source)
          .map((source) => tag('wrong source')({ ...clone(event), source })),
      ];
  const mutations: fc.Arbitrary<{ kind: string; event: Json }>[] = [
    ...envelope,
    fc.constantFrom(...required).map((path) => tag(`drop ${path}`)(withPath(event, path, undefined, true))),
    fc
      .subarray(required, { minLength: 2 })
      .map((paths) => tag(`drop ${paths.join(', ')}`)(paths.reduce((e, p) => withPath(e, p, undefined, true), event))),
    fc
      .tuple(fc.constantFrom(...required), nonString)
      .map(([path, value]) => tag(`retype ${path}`)(withPath(event, path, value))),
    fc.nat().map((n) => {
      const text = JSON.stringify(event);
      return tag('truncated JSON text')(text.slice(0, n % text.length));
    }),
  ];
  for (const identity of template.identities) {
    mutations.push(
      foreignValue(identity.configured).map((value) =>
        tag(`foreign ${identity.path}`)(withPath(event, identity.path, value)),
      ),
    );
  }
  if (template.status) {
    const { path, accepted } = template.status;
    mutations.push(
      fc
        .oneof(
          fc.constantFrom(
            'REGISTERING',
            'ACTIVE',
            'DRAINING',
            'INACTIVE',
            'RUNNING',
            'PENDING',
            'STOPPED',
            'DEPROVISIONING',
          ),
          fc.string(),
        )
        .filter((s) => !accepted.includes(s))
        .map((s) => tag(`irrelevant ${path}`)(withPath(event, path, s))),
    );
  }
  return mutations;
}

function isEmptyPayload(value: unknown): boolean {
  return (
    value === null || value === undefined || (typeof value === 'object' && Object.keys(value as object).length === 0)
  );
}

/** Every kind of event the handler must ignore. */
export function ignoredEvents(spec: HandlerSpec): fc.Arbitrary<{ kind: string; event: Json }> {
  const random = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((event) => ({ kind: 'random JSON', event })),
    hostileObject.map((event) => ({ kind: 'hostile object', event })),
    fc
      .record({
        'detail-type': fc.oneof(nonString, fc.string()),
        source: fc.oneof(nonString, fc.string()),
        detail: fc.oneof(nonString, hostileObject),
      })
      .map((event) => ({ kind: 'hostile envelope', event })),
  );
  const mutated = spec.templates.flatMap((template) => mutationsOf(template, spec));
  return fc
    .oneof({ arbitrary: fc.oneof(...mutated), weight: 4 }, { arbitrary: random, weight: 1 })
    .filter(({ event }) => !(spec.runsOnEmptyPayload && isEmptyPayload(event)));
}

/** Mutating AWS calls: every command whose name does not start with Describe, List or Get. */
export function isMutatingCommand(commandName: string): boolean {
  return !/^(Describe|List|Get)/.test(commandName);
}

export { recordingLogger } from '../../support/recording-logger';
export type { LogLine } from '../../support/recording-logger';

/** Runs per property: at least 1,000 per handler (the brief), overridable for a longer local soak. */
export const NUM_RUNS = Number(process.env.ECS_AMI_ROLLOUT_FUZZ_RUNS ?? 1000);
