/**
 * JSDoc comments of the code the reference is rendered from, read from the TypeScript source, so the tables carry the
 * code's own explanations (why a default, where a limit comes from) instead of a second copy.
 */
import * as fs from 'node:fs';
import * as ts from 'typescript';

/** A node's JSDoc text without tags, on one line (`{@link X}` becomes X). */
export const docOf = (node: ts.Node): string =>
  ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ')
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

/** A TypeScript file's syntax tree (no type-checking). */
export function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Comments of the properties of an exported object literal `name`, by dotted path (`nodeGroup.minSize`). */
export function objectComments(file: string, name: string): Map<string, string> {
  const comments = new Map<string, string>();
  const walk = (literal: ts.ObjectLiteralExpression, prefix: string) => {
    for (const property of literal.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const path = `${prefix}${property.name.getText()}`;
      const comment = docOf(property);
      if (comment) comments.set(path, comment);
      let value: ts.Expression = property.initializer;
      while (ts.isAsExpression(value) || ts.isSatisfiesExpression(value)) value = value.expression;
      if (ts.isObjectLiteralExpression(value)) walk(value, `${path}.`);
    }
  };
  parse(file).forEachChild((node) => {
    if (!ts.isVariableStatement(node)) return;
    for (const declaration of node.declarationList.declarations) {
      let value = declaration.initializer;
      while (value && (ts.isAsExpression(value) || ts.isSatisfiesExpression(value))) value = value.expression;
      if (declaration.name.getText() === name && value && ts.isObjectLiteralExpression(value)) walk(value, '');
    }
  });
  return comments;
}

/** Exported constants and functions of a file with their JSDoc, in source order. */
export function exportedDocs(file: string): { name: string; comment: string }[] {
  const found: { name: string; comment: string }[] = [];
  parse(file).forEachChild((node) => {
    const exported =
      ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) return;
    if (ts.isVariableStatement(node)) {
      for (const declaration of node.declarationList.declarations) {
        found.push({ name: declaration.name.getText(), comment: docOf(node) });
      }
    } else if (ts.isFunctionDeclaration(node) && node.name) {
      found.push({ name: node.name.text, comment: docOf(node) });
    }
  });
  return found;
}
