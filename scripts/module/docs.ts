/**
 * terraform-docs style reference (Inputs / Outputs tables) rendered from the module's own variables and outputs, plus
 * a table of the node group attributes (from the node_groups type and scripts/module/node-group-schema.ts).
 */
import { cell, code } from '../docs/markdown';
import { flattenSchema, hclLiteral } from './node-group-schema';

interface VariableJson {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
}

function typeCell(type: string | undefined): string {
  if (!type) return 'any';
  const oneLine = type.replace(/\s+/g, ' ');
  // The node group object type is documented attribute by attribute below.
  return oneLine.length > 60 ? code(`${oneLine.slice(0, oneLine.indexOf('('))}(object({...}))`) : code(oneLine);
}

function defaultCell(variable: VariableJson): string {
  if (!('default' in variable)) return 'n/a (required)';
  return code(hclLiteral(variable.default === undefined ? null : variable.default));
}

/** The Markdown reference: inputs, node group attributes, outputs. */
export function renderReference(
  variables: Record<string, VariableJson>,
  outputs: Record<string, { description?: string }>,
): string {
  const lines = ['## Inputs', '', '| Name | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const [name, v] of Object.entries(variables)) {
    lines.push(
      `| ${code(name)} | ${cell(typeCell(v.type))} | ${cell(defaultCell(v))} | ${cell(v.description ?? '')} |`,
    );
  }
  lines.push(
    '',
    '### `node_groups` attributes',
    '',
    '| Attribute | Type | Default | Description |',
    '| --- | --- | --- | --- |',
  );
  for (const a of flattenSchema()) {
    const def = a.default === undefined ? '`null`' : code(hclLiteral(a.default));
    lines.push(`| ${code(a.path)} | ${code(a.type)} | ${cell(def)} | ${cell(a.description)} |`);
  }
  lines.push('', '## Outputs', '', '| Name | Description |', '| --- | --- |');
  for (const [name, o] of Object.entries(outputs)) lines.push(`| ${code(name)} | ${cell(o.description ?? '')} |`);
  return `${lines.join('\n')}\n`;
}
