/**
 * The EventBridge rules of a synthesized stack as event patterns a matcher can evaluate, each with the functions it
 * delivers to (directly, or through an SQS queue and its event source mapping). Patterns are synthesized as Terraform
 * `jsonencode({...})` expressions: this turns that object syntax into JSON, keeps every Terraform reference as the
 * string `${reference}`, and lets the test substitute concrete values for them.
 */
import type { EventPattern } from '../../sim/aws/event-pattern';
import { resourcesOf, type SynthJson } from './synth';

export interface SynthRule {
  readonly key: string;
  readonly pattern?: EventPattern;
  readonly schedule?: string;
  /** POWERTOOLS_SERVICE_NAME of every function the rule reaches. */
  readonly functions: readonly string[];
}

/** `{"a" = [x.y.arn, "b"]}` (HCL inside jsonencode) → `{"a": ["${x.y.arn}", "b"]}` (JSON). */
export function hclObjectToJson(expression: string): string {
  let out = '';
  for (let i = 0; i < expression.length;) {
    const char = expression[i];
    if (char === '"') {
      let j = i + 1;
      while (j < expression.length && expression[j] !== '"') j += expression[j] === '\\' ? 2 : 1;
      out += expression.slice(i, j + 1);
      i = j + 1;
    } else if (char === '=') {
      out += ':';
      i++;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][\w.-]*/.exec(expression.slice(i)) as RegExpExecArray;
      out += ['true', 'false', 'null'].includes(match[0]) ? match[0] : `"\${${match[0]}}"`;
      i += match[0].length;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

/** A synthesized `${jsonencode({...})}` (or plain JSON) value, parsed; Terraform references become `${reference}`. */
export function parseJsonencode(raw: string, substitute: (text: string) => string = (t) => t): unknown {
  const inner = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(raw);
  const json = inner ? hclObjectToJson(inner[1]) : raw;
  return JSON.parse(substitute(json));
}

function parsePattern(raw: string, substitute: (text: string) => string): EventPattern {
  return parseJsonencode(raw, substitute) as EventPattern;
}

const refKey = (text: string | undefined, type: string): string | undefined =>
  text === undefined ? undefined : new RegExp(`\\$\\{${type}\\.([\\w-]+)\\.`).exec(text)?.[1];

export function synthesizedRules(json: SynthJson, substitute: (text: string) => string = (t) => t): SynthRule[] {
  const rules = json.resource?.aws_cloudwatch_event_rule ?? {};
  const targets = resourcesOf(json, 'aws_cloudwatch_event_target');
  const functions = json.resource?.aws_lambda_function ?? {};
  const mappings = resourcesOf(json, 'aws_lambda_event_source_mapping');
  const serviceOf = (fnKey: string | undefined): string[] => {
    const fn = fnKey === undefined ? undefined : functions[fnKey];
    const name = fn?.environment?.variables?.POWERTOOLS_SERVICE_NAME as string | undefined;
    return name === undefined ? [] : [name];
  };
  return Object.entries(rules).map(([key, rule]) => {
    const reached = targets
      .filter((target) => refKey(target.rule as string, 'aws_cloudwatch_event_rule') === key)
      .flatMap((target) => {
        const arn = target.arn as string;
        const direct = refKey(arn, 'aws_lambda_function');
        if (direct !== undefined) return serviceOf(direct);
        const queue = refKey(arn, 'aws_sqs_queue');
        return mappings
          .filter((mapping) => refKey(mapping.event_source_arn as string, 'aws_sqs_queue') === queue)
          .flatMap((mapping) => serviceOf(refKey(mapping.function_name as string, 'aws_lambda_function')));
      });
    return {
      key,
      pattern: rule.event_pattern ? parsePattern(rule.event_pattern as string, substitute) : undefined,
      schedule: rule.schedule_expression as string | undefined,
      functions: [...new Set(reached)].sort(),
    };
  });
}
