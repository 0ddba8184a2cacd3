/**
 * The documentation rendered from the code (npm run docs): the checked-in pages are current, and the tables follow the
 * code — a default, rule or trigger changed in its one definition changes the page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedDocs, renderReference, replaceBlock, REPO_ROOT } from '../../scripts/docs/generated-docs';
import { DEFAULTS_SOURCES, defaultsTable } from '../../scripts/docs/setting-tables';
import { matchCell, productRules } from '../../scripts/docs/trigger-tables';
import { SETTING_RULES } from '../../lib/setting-rules';

describe('generated documentation', () => {
  it.each([...expectedDocs()])(
    '%s is current (run npm run docs after changing the code it comes from)',
    (file, text) => {
      expect(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')).toBe(text);
    },
  );

  it('lists every rule of every function with what it matches', () => {
    const reference = renderReference();
    const rules = productRules().flatMap(({ fn, rules: list }) => list.map((rule) => ({ fn, rule })));
    expect(rules.map(({ fn, rule }) => `${fn}/${rule.id}`)).toEqual([
      'launch gate/launch-lifecycle',
      'launch gate/instance-state',
      'launch gate/sweep',
      'drain gate/terminate-lifecycle',
      'drain gate/instance-state',
      'drain gate/sweep',
      'AMI watcher/schedule',
      'AMI watcher/refresh-events',
      'AMI watcher/approved-ami-events',
      'agent monitor/schedule',
    ]);
    for (const { fn, rule } of rules) expect(reference).toContain(`| ${fn} | \`${rule.id}\` | ${matchCell(rule)} |`);
  });

  it('renders a changed default from its one definition, with the comment that explains it', () => {
    // GIVEN the defaults with the terminate heartbeat changed where it is defined
    const [defaults, ...others] = DEFAULTS_SOURCES;
    const nodeGroup = { ...(defaults.values.nodeGroup as object), terminateHeartbeatTimeoutSeconds: 1234 };
    const changed = [{ ...defaults, values: { ...defaults.values, nodeGroup } }, ...others];
    // WHEN the table is rendered
    const row = defaultsTable(changed).find((line) => line.includes('terminateHeartbeatTimeoutSeconds'));
    // THEN it shows the new value and the code's own explanation
    expect(row).toMatch(/^\| `DEFAULTS\.nodeGroup\.terminateHeartbeatTimeoutSeconds` \| `1234` \| Equal to the gate/);
  });

  it('states every setting rule with the reason and fix the construct and the module use', () => {
    const reference = renderReference();
    for (const rule of Object.values(SETTING_RULES)) {
      expect(reference).toContain(`| \`${rule.variable}\` | ${rule.reason.replace(/\|/g, '\\|')} | ${rule.fix} |`);
    }
  });

  it('refuses to render into a page whose markers are missing', () => {
    expect(() => replaceBlock('# a page\n', 'gate-triggers', 'x')).toThrow(/markers of the generated block/);
  });
});
