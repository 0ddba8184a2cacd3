/**
 * Simulated SSM Parameter Store (Standard tier), enough for the gates and the AMI watcher:
 * - GetParameter: the current version's value, Type and DataType; `ParameterNotFound` for an unknown name
 *   (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html);
 * - PutParameter: create (Type required), update only with `Overwrite: true` (else `ParameterAlreadyExists`), values
 *   ≤ 4 KB (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html);
 * - `DataType: aws:ec2:image` is validated ASYNCHRONOUSLY: PutParameter succeeds at once, but the new value becomes
 *   visible only once SSM has checked that the AMI exists (a few seconds; `timings.ssmImageValidation`, an assumption —
 *   AWS publishes no figure). An AMI EC2 does not know is dropped: the previous value stays. Writes to one parameter
 *   become visible in the order they were made. SSM then emits "Parameter Store Change" to EventBridge
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html).
 * Public AWS parameters (`/aws/service/…`) are written by the scenario itself (`publish`), as AWS would.
 */
import type { Simulation } from '../clock';
import type { Rng } from '../rng';
import type { Timings } from '../timings';
import { awsError } from './errors';
import type { Operation } from './fake-clients';

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type ParameterDataType = 'text' | 'aws:ec2:image';

interface ParameterMeta {
  type: ParameterType;
  dataType: ParameterDataType;
  version: number;
  lastModified: number;
  /** Virtual time at which the last accepted write becomes visible (keeps async validations in write order). */
  visibleFrom: number;
}

/** One PutParameter / publish, as the scenarios read it back (what was written, when, and whether SSM accepted it). */
export interface ParameterWrite {
  readonly name: string;
  readonly value: string;
  readonly at: number;
  visibleAt?: number;
  rejected?: boolean;
}

const MAX_STANDARD_VALUE_LENGTH = 4096;

/** What the parameter store needs from the world (sim/world.ts's World satisfies it). */
export interface SsmContext {
  readonly region: string;
  readonly account: string;
  readonly sim: Simulation;
  readonly timings: Timings;
  /** The visible values (World.ssmParameters; older scenarios set them directly). */
  readonly ssmParameters: Map<string, string>;
  readonly ec2: { readonly images: ReadonlyMap<string, unknown> };
  readonly bus: {
    publish(detailType: string, source: string, resources: string[], detail: Record<string, unknown>): void;
  };
}

export class SsmParameterStore {
  private readonly meta = new Map<string, ParameterMeta>();
  readonly writes: ParameterWrite[] = [];

  constructor(
    private readonly world: SsmContext,
    private readonly rng: Rng,
  ) {}

  /**
   * The visible value (what GetParameter returns now). World.ssmParameters is the backing map the gates already read.
   */
  value(name: string): string | undefined {
    return this.world.ssmParameters.get(name);
  }

  /** Sets a parameter synchronously (bootstrap values, and AWS publishing a public parameter). */
  publish(name: string, value: string, type: ParameterType = 'String', dataType: ParameterDataType = 'text'): void {
    const now = this.world.sim.now;
    const meta = this.meta.get(name);
    this.meta.set(name, { type, dataType, version: (meta?.version ?? 0) + 1, lastModified: now, visibleFrom: now });
    this.world.ssmParameters.set(name, value);
    this.writes.push({ name, value, at: now, visibleAt: now });
  }

  private metaOf(name: string): ParameterMeta {
    // Parameters set straight into world.ssmParameters (older scenarios) read as version-1 String parameters.
    return this.meta.get(name) ?? { type: 'String', dataType: 'text', version: 1, lastModified: 0, visibleFrom: 0 };
  }

  operations(): Record<string, Operation> {
    const world = this.world;
    return {
      GetParameter: (input) => {
        const name = String(input.Name);
        const value = this.value(name);
        if (value === undefined) throw awsError('SSM', 'ParameterNotFound', `Parameter ${name} not found.`);
        const meta = this.metaOf(name);
        const account = name.startsWith('/aws/service/') ? '' : world.account;
        return {
          Parameter: {
            Name: name,
            Type: meta.type,
            Value: value,
            Version: meta.version,
            LastModifiedDate: world.sim.date(meta.lastModified),
            ARN: `arn:aws:ssm:${world.region}:${account}:parameter${name}`,
            DataType: meta.dataType,
          },
        };
      },
      PutParameter: (input) => this.put(input),
    };
  }

  private put(input: Record<string, unknown>): { Version: number; Tier: 'Standard' } {
    const world = this.world;
    const name = String(input.Name ?? '');
    const value = input.Value;
    if (name === '' || typeof value !== 'string')
      throw awsError('SSM', 'ValidationException', 'Name and Value are required');
    if (name.startsWith('/aws/'))
      throw awsError('SSM', 'AccessDeniedException', `No access to reserved parameter name: ${name}.`);
    if (value.length > MAX_STANDARD_VALUE_LENGTH) {
      throw awsError(
        'SSM',
        'ValidationException',
        `Standard tier parameters support a maximum parameter value of 4096 characters.`,
      );
    }
    const existing = this.meta.get(name) ?? (this.value(name) !== undefined ? this.metaOf(name) : undefined);
    if (existing && input.Overwrite !== true) {
      throw awsError(
        'SSM',
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const type = (input.Type as ParameterType | undefined) ?? existing?.type;
    if (type === undefined)
      throw awsError('SSM', 'ValidationException', 'A parameter type is required when you create a parameter.');
    const dataType = (input.DataType as ParameterDataType | undefined) ?? existing?.dataType ?? 'text';
    if (dataType === 'aws:ec2:image' && !/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(value)) {
      throw awsError('SSM', 'ValidationException', `Parameter value, ${value}, is not a valid AMI ID.`);
    }
    const now = world.sim.now;
    const version = (existing?.version ?? 0) + 1;
    const write: ParameterWrite = { name, value, at: now };
    this.writes.push(write);
    const commit = (): void => {
      const meta = this.metaOf(name);
      this.meta.set(name, {
        ...meta,
        type,
        dataType,
        version: Math.max(meta.version, version),
        lastModified: world.sim.now,
      });
      world.ssmParameters.set(name, value);
      write.visibleAt = world.sim.now;
    };
    if (dataType !== 'aws:ec2:image') {
      this.meta.set(name, { type, dataType, version, lastModified: now, visibleFrom: now });
      world.ssmParameters.set(name, value);
      write.visibleAt = now;
      return { Version: version, Tier: 'Standard' };
    }
    // Asynchronous validation: visible after the check, never before an earlier write to the same parameter.
    const t = world.timings.ssmImageValidation;
    const visibleFrom = Math.max(now + this.rng.lognormal(t.median, t.sigma, t.min, t.max), existing?.visibleFrom ?? 0);
    this.meta.set(name, {
      ...(existing ?? { version: 0, lastModified: now }),
      type,
      dataType,
      version: existing?.version ?? 0,
      visibleFrom,
    });
    world.sim.at(visibleFrom, () => {
      const valid = world.ec2.images.has(value);
      if (valid) commit();
      else write.rejected = true;
      world.bus.publish(
        'Parameter Store Change',
        'aws.ssm',
        [`arn:aws:ssm:${world.region}:${world.account}:parameter${name}`],
        {
          operation: existing ? 'Update' : 'Create',
          name,
          type,
          ...(valid ? {} : { description: `Parameter value ${value} failed aws:ec2:image validation` }),
        },
      );
    });
    return { Version: version, Tier: 'Standard' };
  }
}
