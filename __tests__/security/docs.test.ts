/**
 * docs/security.md renders lib/security/policy-exceptions.ts: every exception appears once in the exceptions table,
 * with its rule ids, and the table lists nothing else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_EXCEPTIONS } from '../../lib/security/policy-exceptions';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');

/** Rows of the "Exceptions" table: `| \`id\` | rules | what | why |`. */
function exceptionRows(): { id: string; rules: string; text: string }[] {
  const section = doc.split('## Exceptions')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| `[a-z0-9-]+` \|/.test(line))
    .map((line) => {
      const cells = line.split(' | ');
      return { id: cells[0].replace(/^\| `|`$/g, ''), rules: cells[1], text: line };
    });
}

describe('docs/security.md', () => {
  test('the exceptions table lists exactly the exceptions of policy-exceptions.ts with rules and reasons', () => {
    const rows = exceptionRows();
    expect(rows.map((r) => r.id)).toEqual(POLICY_EXCEPTIONS.map((e) => e.id));
    for (const exception of POLICY_EXCEPTIONS) {
      const row = rows.find((r) => r.id === exception.id)!;
      expect([exception.id, row.rules]).toEqual([exception.id, exception.rules.join(', ')]);
      expect([exception.id, row.text.includes(exception.reason)]).toEqual([exception.id, true]);
    }
  });

  test('it says how to run the three suites', () => {
    expect(doc).toContain('npx jest __tests__/security __tests__/bad-input __tests__/fuzz');
  });
});
