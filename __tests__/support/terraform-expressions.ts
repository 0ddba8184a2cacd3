/**
 * Evaluates the Terraform expressions our synthesized JSON contains, for one account and Region, so tests can read
 * resolved values (ARNs in policies, event patterns) instead of `${…}` tokens. Supported: `${…}` interpolation,
 * references to resources (`name`, `id`, `arn`) and to the partition / Region / caller-identity / ECS-cluster data
 * sources, `trimprefix(x, "/")`, and `jsonencode({ "key" = [ … ] })` with HCL objects, tuples, strings and numbers.
 * Anything else throws, so a new kind of expression cannot silently become a wildcard.
 */
import type { SynthJson } from './synth';

export interface AccountContext {
  readonly region: string;
  readonly account: string;
  readonly partition?: string;
}

type Ctx = Required<AccountContext>;
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** The Auto Scaling group id is a UUID AWS assigns; nothing we synthesize pins it. */
export const ASG_UUID = '00000000-0000-0000-0000-000000000001';

export function arnOf(type: string, name: string, ctx: Ctx): string {
  const { partition: p, region: r, account: a } = ctx;
  switch (type) {
    case 'aws_ecs_cluster':
      return `arn:${p}:ecs:${r}:${a}:cluster/${name}`;
    case 'aws_autoscaling_group':
      return `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:${ASG_UUID}:autoScalingGroupName/${name}`;
    case 'aws_ssm_parameter':
      return `arn:${p}:ssm:${r}:${a}:parameter/${name.replace(/^\//, '')}`;
    case 'aws_sns_topic':
      return `arn:${p}:sns:${r}:${a}:${name}`;
    case 'aws_sqs_queue':
      return `arn:${p}:sqs:${r}:${a}:${name}`;
    case 'aws_cloudwatch_log_group':
      return `arn:${p}:logs:${r}:${a}:log-group:${name}`;
    case 'aws_cloudwatch_event_rule':
      return `arn:${p}:events:${r}:${a}:rule/${name}`;
    case 'aws_lambda_function':
      return `arn:${p}:lambda:${r}:${a}:function:${name}`;
    default:
      throw new Error(`no ARN rule for ${type}: add one to __tests__/support/terraform-expressions.ts`);
  }
}

function reference(parts: string[], json: SynthJson, ctx: Ctx): string {
  if (parts[0] === 'data' && parts.length === 4) {
    const [, type, name, attribute] = parts;
    if (type === 'aws_partition' && attribute === 'partition') return ctx.partition;
    if (type === 'aws_region' && (attribute === 'name' || attribute === 'region')) return ctx.region;
    if (type === 'aws_caller_identity' && attribute === 'account_id') return ctx.account;
    if (type === 'aws_ecs_cluster') {
      // An adopted cluster, looked up by name.
      const config = json.data?.aws_ecs_cluster?.[name] as { cluster_name?: string } | undefined;
      if (!config?.cluster_name) throw new Error(`data.aws_ecs_cluster.${name} has no cluster_name`);
      const cluster = resolveTokens(config.cluster_name, json, ctx);
      if (attribute === 'arn' || attribute === 'id') return arnOf('aws_ecs_cluster', cluster, ctx);
      if (attribute === 'cluster_name') return cluster;
    }
    throw new Error(`cannot resolve data source reference ${parts.join('.')}`);
  }
  if (parts.length !== 3) throw new Error(`cannot resolve Terraform reference ${parts.join('.')}`);
  const [type, name, attribute] = parts;
  const config = json.resource?.[type]?.[name] as Record<string, unknown> | undefined;
  if (!config) throw new Error(`reference to ${type}.${name}, which the stack does not contain`);
  const configuredName = (type === 'aws_lambda_function' ? config.function_name : config.name) as string | undefined;
  if (configuredName === undefined) throw new Error(`${type}.${name} has no fixed name (name_prefix?)`);
  const resolvedName = resolveTokens(configuredName, json, ctx);
  if (attribute === 'name' || attribute === 'id' || attribute === 'function_name') return resolvedName;
  if (attribute === 'arn') return arnOf(type, resolvedName, ctx);
  throw new Error(`cannot resolve attribute ${attribute} of ${type}`);
}

/** A recursive-descent reader of the HCL expression subset described above. */
class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly json: SynthJson,
    private readonly ctx: Ctx,
  ) {}

  parse(): HclValue {
    const value = this.expression();
    this.space();
    if (this.at !== this.text.length) throw new Error(`unexpected "${this.text.slice(this.at)}" in ${this.text}`);
    return value;
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private expect(char: string): void {
    this.space();
    if (this.text[this.at] !== char) throw new Error(`expected "${char}" at ${this.at} in ${this.text}`);
    this.at++;
  }

  private expression(): HclValue {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.tuple();
    if (c === '"') return this.string();
    if (/[-0-9]/.test(c)) return Number(this.match(/^-?\d+(\.\d+)?/));
    const word = this.match(/^[A-Za-z_][A-Za-z0-9_.-]*/);
    this.space();
    if (this.text[this.at] === '(') return this.call(word);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    return reference(word.split('.'), this.json, this.ctx);
  }

  private match(pattern: RegExp): string {
    const found = pattern.exec(this.text.slice(this.at));
    if (!found) throw new Error(`cannot read an expression at ${this.at} in ${this.text}`);
    this.at += found[0].length;
    return found[0];
  }

  private object(): HclValue {
    this.expect('{');
    const result: { [key: string]: HclValue } = {};
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') break;
      const key = this.expression();
      this.expect('=');
      result[String(key)] = this.expression();
      this.space();
      if (this.text[this.at] === ',') this.at++;
    }
    this.expect('}');
    return result;
  }

  private tuple(): HclValue {
    this.expect('[');
    const result: HclValue[] = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === ']') break;
      result.push(this.expression());
      this.space();
      if (this.text[this.at] === ',') this.at++;
    }
    this.expect(']');
    return result;
  }

  private string(): string {
    this.expect('"');
    let raw = '';
    while (this.text[this.at] !== '"') {
      if (this.at >= this.text.length) throw new Error(`unterminated string in ${this.text}`);
      if (this.text.startsWith('${', this.at)) {
        const end = this.text.indexOf('}', this.at);
        raw += this.text.slice(this.at, end + 1);
        this.at = end + 1;
      } else if (this.text[this.at] === '\\') {
        raw += JSON.parse(`"${this.text.slice(this.at, this.at + 2)}"`);
        this.at += 2;
      } else raw += this.text[this.at++];
    }
    this.at++;
    return resolveTokens(raw, this.json, this.ctx);
  }

  private call(name: string): HclValue {
    this.expect('(');
    const args: HclValue[] = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === ')') break;
      args.push(this.expression());
      this.space();
      if (this.text[this.at] === ',') this.at++;
    }
    this.expect(')');
    if (name === 'trimprefix') {
      const [value, prefix] = args.map(String);
      return value.startsWith(prefix) ? value.slice(prefix.length) : value;
    }
    if (name === 'jsonencode') return JSON.stringify(args[0]);
    throw new Error(`function ${name}() is not supported`);
  }
}

/** The value of one Terraform expression (the text inside `${…}`). */
export function evaluateExpression(expression: string, json: SynthJson, context: AccountContext): HclValue {
  return new Parser(expression, json, { partition: 'aws', ...context }).parse();
}

/** Replaces every `${…}` in a string with its value (a whole-string `${jsonencode(…)}` becomes the JSON text). */
export function resolveTokens(value: string, json: SynthJson, context: AccountContext): string {
  let result = '';
  let at = 0;
  while (at < value.length) {
    const start = value.indexOf('${', at);
    if (start < 0) {
      result += value.slice(at);
      break;
    }
    result += value.slice(at, start);
    // Find the matching brace (expressions may contain objects and nested interpolations).
    let depth = 0;
    let end = start + 1;
    let inString = false;
    for (; end < value.length; end++) {
      const c = value[end];
      if (c === '"' && value[end - 1] !== '\\') inString = !inString;
      else if (!inString && c === '{') depth++;
      else if (!inString && c === '}' && --depth === 0) break;
      else if (inString && c === '{' && value[end - 1] === '$') depth++;
      else if (inString && c === '}' && depth > 1) depth--;
    }
    const expression = value.slice(start + 2, end);
    result += String(evaluateExpression(expression, json, context));
    at = end + 1;
  }
  return result;
}
