/**
 * docs/aws-contract.md cannot drift from the tests: every row of its behaviour tables names a source or says
 * "assumption" (or "not modelled"), and every test it names exists — the file, and a test of that name in it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'aws-contract.md'), 'utf8');

interface Row {
  readonly section: string;
  readonly cells: string[];
}

/** Rows of the four-column behaviour tables (behaviour | model | source | test). */
function behaviourRows(): Row[] {
  const rows: Row[] = [];
  let section = '';
  let inTable = false;
  for (const line of DOC.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3);
    if (line.startsWith('| behaviour | model | source | test |')) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable && !line.startsWith('| ---')) {
      const cells = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
      rows.push({ section, cells });
    }
  }
  return rows;
}

function testFiles(dir = join(ROOT, '__tests__')): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) for (const [k, v] of testFiles(path)) files.set(k, v);
    else if (entry.endsWith('.test.ts')) files.set(entry, path);
  }
  return files;
}

describe('docs/aws-contract.md', () => {
  const rows = behaviourRows();
  const files = testFiles();

  it('has behaviour rows in the sections this project relies on', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it('gives every row a source, or marks it an assumption or not modelled', () => {
    const unsourced = rows.filter(({ cells }) => {
      const text = `${cells[1]} ${cells[2]}`;
      return !/https?:\/\/|\[[A-Z0-9-]+\]|assumption|not modelled|\.yaml|\.ts\b/i.test(text);
    });
    expect(unsourced.map((r) => `${r.section}: ${r.cells[0]}`)).toEqual([]);
  });

  it('names, for every modelled row, tests that exist', () => {
    const missing: string[] = [];
    for (const { section, cells } of rows) {
      const test = cells[3];
      if (test === '—') {
        if (!/not modelled/i.test(cells[1])) missing.push(`${section}: "${cells[0]}" has no test`);
        continue;
      }
      for (const reference of test.split(/;\s*(?=`)/)) {
        const file = /`([^`]+\.test\.ts)`/.exec(reference)?.[1];
        if (!file || !files.has(file)) {
          missing.push(`${section}: ${reference} (no such test file)`);
          continue;
        }
        const source = readFileSync(files.get(file) as string, 'utf8').replace(/\s+/g, ' ');
        const names = reference.split('›').slice(1);
        for (const raw of names) {
          const name = raw
            .replace(/\(gates\)|\(auto-mode\)/g, '')
            .trim()
            .replace(/;$/, '');
          // Test names are asserted as written, ignoring the prettier line breaks inside long string literals.
          const probe = name.replace(/\s+/g, ' ').slice(0, 60);
          if (name.length > 0 && !source.includes(probe)) missing.push(`${section}: ${file} › ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
