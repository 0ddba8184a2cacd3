/**
 * IAM contract for the handler tests: the shared test kits register their mocked SDK clients here, and after every
 * test each call the handlers made is evaluated against the role policy our constructs synthesize for the function
 * that made it (__tests__/iam/support). A call is attributed to its function from its call stack: the launch or the
 * drain gate's own modules, or — for code both gates share (event routing, target resolution, adapters) — both gates,
 * which must then both be allowed; the AMI watcher and the agent monitor by their directories.
 */
import type { AwsStub } from 'aws-sdk-client-mock';
import { denials, describeDenials } from '../iam/support/contract';
import type { AwsCall } from '../iam/support/aws-call-requests';
import { rolePolicies, type IamPolicy } from '../iam/support/synthesized-policies';
import type { SynthJson } from './synth';

export interface IamBinding {
  /** Region and account of the ARNs the kit's fakes use. */
  readonly region: string;
  readonly account: string;
  /** The stack whose synthesized policies the kit's configuration corresponds to (synthesized lazily, once). */
  readonly stack: () => SynthJson;
  /** Identifiers the kit uses that the stack names differently (e.g. the ASG `my-asg` → `prod-general`). */
  readonly renames?: readonly (readonly [string, string])[];
  /** The Auto Scaling group of an instance (TerminateInstanceInAutoScalingGroup names only the instance). */
  readonly groupOfInstance?: (instanceId: string) => string | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStub = AwsStub<any, any, any>;

type Recorded = { service: string; mock: AnyStub }[];

/**
 * The functions a call belongs to, from the modules on its call stack: the gates' own runners, or their shared
 * entry (`handler.ts`: event routing, target resolution — then both gates), the watcher's and the monitor's
 * handler modules. A call whose stack reaches no handler (a test calling an adapter directly) is no function's.
 */
export function functionsOf(stack: string): string[] {
  if (/lambdas\/gates\/launch-(gate|runner)/.test(stack)) return ['launch-gate'];
  if (/lambdas\/gates\/drain-(gate|runner)/.test(stack)) return ['drain-gate'];
  if (/lambdas\/gates\/handler\.ts/.test(stack)) return ['launch-gate', 'drain-gate'];
  if (/lambdas\/watcher\/(?!adapters\/)/.test(stack)) return ['ami-watcher'];
  if (/lambdas\/monitor\/(?!adapters\.ts)/.test(stack)) return ['agent-monitor'];
  return [];
}

function renamed(input: unknown, renames: IamBinding['renames'] = []): Record<string, unknown> {
  let json = JSON.stringify(input ?? {});
  for (const [from, to] of renames) json = json.split(from).join(to);
  return JSON.parse(json) as Record<string, unknown>;
}

/** The recorded calls of the current test, one per function they belong to; calls from test code are left out. */
function collect(recorded: Recorded, binding: IamBinding): AwsCall[] {
  const calls: AwsCall[] = [];
  for (const { service, mock } of recorded.splice(0)) {
    for (const call of mock.calls() as (ReturnType<AnyStub['calls']>[number] & { stack?: string })[]) {
      const command = call.args[0] as { constructor: { name: string }; input?: unknown };
      const operation = command.constructor.name.replace(/Command$/, '');
      const input = renamed(command.input, binding.renames);
      for (const source of functionsOf(call.stack ?? '')) calls.push({ service, operation, input, source });
    }
  }
  return calls;
}

/**
 * Installs the after-each check (call it once, at the top level of a kit module) and returns the function that
 * registers a mocked client: its calls during a test are checked after that test.
 */
export function installIamContractCheck(binding: IamBinding): (service: string, mock: AnyStub) => void {
  const recorded: Recorded = [];
  let policies: Map<string, IamPolicy> | undefined;
  afterEach(async () => {
    const calls = collect(recorded, binding);
    if (calls.length === 0) return;
    policies ??= rolePolicies(binding.stack(), binding);
    const { denied } = await denials(calls, policies, binding);
    expect(describeDenials(denied)).toEqual([]);
  });
  return (service, mock) => recorded.push({ service, mock });
}
