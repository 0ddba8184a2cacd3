import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FUZZ_TARGETS } from '../../scripts/fuzz-targets';

const ROOT = join(__dirname, '..', '..');

/** Every test file under __tests__ (support code and the package suites are not test files of npm run fuzz). */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('npm run fuzz targets', () => {
  const listed = Object.values(FUZZ_TARGETS).flat();

  test('name only test files that exist', () => {
    expect(listed.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });

  test('include every test file that runs a fast-check property, once', () => {
    // GIVEN the test files that import fast-check
    const properties = testFiles(join(ROOT, '__tests__')).filter((file) =>
      /^import .* from 'fast-check';$/m.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    // THEN each is explored by exactly one target
    expect([...listed].sort()).toEqual(properties.sort());
  });
});
