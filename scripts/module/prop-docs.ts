/**
 * The construct props' JSDoc, read from the TypeScript source (lib/node-group/node-group-props.ts), so the module's
 * attribute descriptions are the props' own words instead of a second copy.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { docOf, parse } from '../docs/source-comments';

const PROPS_FILE = path.join(__dirname, '..', '..', 'lib', 'node-group', 'node-group-props.ts');

interface PropDoc {
  /** The JSDoc text without tags, on one line. */
  readonly description: string;
  /** The property's type, as written (an interface name for nested options). */
  readonly typeName: string;
}

let cache: Map<string, Map<string, PropDoc>> | undefined;

/** interface name → property name → doc. */
function interfaces(): Map<string, Map<string, PropDoc>> {
  if (cache) return cache;
  const source = parse(PROPS_FILE);
  cache = new Map();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const members = new Map<string, PropDoc>();
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.name) continue;
      const typeName = (member.type?.getText(source) ?? '').replace(/\[\]$/, '');
      members.set(member.name.getText(source), { description: docOf(member), typeName });
    }
    cache!.set(node.name.text, members);
  });
  return cache;
}

/** The JSDoc description of a NodeGroupOptions prop path (`instanceRefresh.minHealthyPercentage`). */
export function propDescription(propPath: string): string {
  let owner = 'NodeGroupOptions';
  let doc: PropDoc | undefined;
  for (const key of propPath.split('.')) {
    doc = interfaces().get(owner)?.get(key);
    if (!doc) throw new Error(`no JSDoc for ${propPath} (${owner}.${key}) in ${PROPS_FILE}`);
    owner = doc.typeName;
  }
  return doc!.description;
}
