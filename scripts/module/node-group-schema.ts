/**
 * The `node_groups` variable's object type and its documentation, rendered from the attribute table
 * (lib/node-group/node-group-attributes.ts: names, types, defaults) and the props' JSDoc (descriptions).
 */
import {
  flattenAttributes,
  isObjectEntry,
  NODE_GROUP_ATTRIBUTES,
  NodeGroupAttribute,
  NodeGroupEntry,
} from '../../lib/node-group/node-group-attributes';
import { propDescription } from './prop-docs';

/** HCL literal of a default value (numbers, strings, bools, lists, empty maps). */
export function hclLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k} = ${hclLiteral(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

function attributeType(a: NodeGroupAttribute): string {
  return a.default === undefined ? `optional(${a.type})` : `optional(${a.type}, ${hclLiteral(a.default)})`;
}

/** The `object({...})` type of one node group, one attribute per line (readable in the module and the docs). */
export function nodeGroupObjectType(indent = '  '): string {
  const lines = (entries: readonly NodeGroupEntry[], pad: string): string[] =>
    entries.map((e) => {
      if (!isObjectEntry(e)) return `${pad}${e.name} = ${attributeType(e)}`;
      const inner = lines(e.attributes, `${pad}${indent}`).join('\n');
      const object = `object({\n${inner}\n${pad}})`;
      if (e.list) return `${pad}${e.name} = optional(list(${object}), [])`;
      return `${pad}${e.name} = optional(${object}${e.nullable ? '' : ', {}'})`;
    });
  return `object({\n${lines(NODE_GROUP_ATTRIBUTES, indent).join('\n')}\n})`;
}

/** A module attribute's description: the prop's JSDoc, plus how the module defaults or binds it. */
export function attributeDescription(a: NodeGroupAttribute): string {
  const own = a.prop === 'amiSource' ? '' : propDescription(a.prop);
  return [own, a.moduleNote].filter(Boolean).join(' ');
}

/** Every attribute with its dotted module path and description, for docs and tests. */
export function flattenSchema(): (NodeGroupAttribute & { readonly path: string; readonly description: string })[] {
  return flattenAttributes().map((a) => ({ ...a, description: attributeDescription(a) }));
}
