/**
 * One version for the package, the Terraform module and the Lambda bundles (CHANGELOG.md, "Versions and releases"):
 * package.json's version has its CHANGELOG section, and the lockfile agrees.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const readJson = (file: string): { version: string } =>
  JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { version: string };

describe('the release version', () => {
  const { version } = readJson('package.json');

  it('is a semantic version', () => {
    // GIVEN package.json / THEN its version is MAJOR.MINOR.PATCH (the release tag is v<version>)
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('has the first version section of the CHANGELOG', () => {
    // GIVEN the CHANGELOG's version headings, newest first
    const headings = [...fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8').matchAll(/^## (\d+\.\d+\.\d+)\b/gm)];
    // THEN the newest is package.json's version
    expect(headings.map((m) => m[1])[0]).toBe(version);
  });

  it('is the lockfile version', () => {
    // GIVEN package-lock.json / THEN it was updated with package.json
    expect(readJson('package-lock.json').version).toBe(version);
  });
});
