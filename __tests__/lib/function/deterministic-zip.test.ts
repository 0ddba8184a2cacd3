/**
 * lib/function/deterministic-zip.ts: valid archives whose bytes depend only on names and contents.
 */
import * as zlib from 'zlib';
import { crc32, createDeterministicZip } from '../../../lib/function/deterministic-zip';
import { readZip } from './helpers';

const A = { name: 'index.js', data: Buffer.from('exports.handler = async () => 42;\n'.repeat(50)) };
const B = { name: 'index.js.map', data: Buffer.from('{"version":3,"sources":[],"mappings":""}') };

describe('createDeterministicZip', () => {
  it('round-trips names and contents with fixed metadata', () => {
    // GIVEN two entries / WHEN zipped and read back
    const entries = readZip(createDeterministicZip([A, B]));
    // THEN contents match and every entry carries the DOS epoch and mode 0644
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual([
      [A.name, A.data.toString()],
      [B.name, B.data.toString()],
    ]);
    expect(entries.every((e) => e.dosDate === 0x21 && e.dosTime === 0 && e.unixMode === 0o100644)).toBe(true);
  });

  it('produces the same bytes regardless of input order and call time', () => {
    // GIVEN the same entries in two orders / WHEN zipped / THEN the archives are identical
    expect(createDeterministicZip([A, B]).equals(createDeterministicZip([B, A]))).toBe(true);
  });

  it('compresses, and changes bytes when a content changes', () => {
    // GIVEN a compressible entry / THEN the archive is smaller than the input and differs for different input
    const zip = createDeterministicZip([A]);
    expect(zip.length).toBeLessThan(A.data.length);
    expect(zip.equals(createDeterministicZip([{ ...A, data: Buffer.from('other') }]))).toBe(false);
  });

  it('computes the standard CRC-32', () => {
    // GIVEN the check value of CRC-32/ISO-HDLC / THEN it matches (and zlib.crc32 where available)
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    if (typeof zlib.crc32 === 'function') expect(crc32(A.data)).toBe(zlib.crc32(A.data));
  });

  it.each([['/abs.js'], ['../up.js'], ['a\\b.js'], ['']])('rejects the unsafe entry name %j', (name) => {
    // GIVEN an absolute, escaping, backslashed or empty name / WHEN zipped / THEN it throws
    expect(() => createDeterministicZip([{ name, data: Buffer.from('x') }])).toThrow(/unsafe entry name/);
  });

  it('rejects duplicate names', () => {
    // GIVEN the same name twice / WHEN zipped / THEN it throws
    expect(() => createDeterministicZip([A, A])).toThrow(/duplicate entry name "index\.js"/);
  });
});
