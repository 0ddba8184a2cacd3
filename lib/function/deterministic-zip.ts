/**
 * A minimal, dependency-free ZIP writer whose output depends only on the entries' names and bytes.
 *
 * Why not cdktf's `TerraformAsset` with `AssetType.ARCHIVE`? cdktf 0.21 zips with `archiver`, which stores each file's
 * mtime (and mode) from `fs.stat`. esbuild rewrites the bundle on every synth, so the archive bytes — and with them
 * `source_code_hash` and the asset path — would change on every synth and `terraform plan` would always show an
 * update of the function code. Here every entry gets:
 * - a fixed timestamp (1980-01-01 00:00, the DOS epoch), no extra fields (no extended Unix timestamps), no comment;
 * - fixed Unix permissions `0644` (Lambda needs files world-readable), "made by" Unix;
 * - entries in byte-wise sorted name order;
 * - raw DEFLATE at level 9 from Node's bundled zlib (`deflateRawSync`).
 *
 * Residual caveat: DEFLATE output is a function of the zlib implementation. Node bundles Chromium's zlib; a different
 * Node major version may produce different (equally valid) compressed bytes for the same input — one harmless code
 * update after a Node upgrade. Same Node + same input → same bytes (verified in `__tests__/function/bundle.test.ts`).
 */
import * as zlib from 'zlib';

/** One file in the archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, relative (e.g. `index.js`). */
  readonly name: string;
  /** File contents. */
  readonly data: Buffer;
}

// DOS date/time for 1980-01-01 00:00:00: date = ((1980-1980) << 9) | (1 << 5) | 1, time = 0.
const DOS_DATE = 0x0021;
const DOS_TIME = 0x0000;
const VERSION_NEEDED = 20; // 2.0: DEFLATE
const VERSION_MADE_BY = (3 << 8) | 20; // host 3 = Unix, so the external attributes carry Unix permissions
const UNIX_FILE_0644 = (0o100644 << 16) >>> 0; // regular file, rw-r--r--
const METHOD_DEFLATE = 8;

/** Builds a ZIP archive from `entries`; the same entries (in any order) always produce the same bytes. */
export function createDeterministicZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  assertUniqueSafeNames(sorted);

  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = zlib.deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(0x0800, 6); // general purpose flags: bit 11 = names are UTF-8
    local.writeUInt16LE(METHOD_DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    localParts.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(METHOD_DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number start
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(UNIX_FILE_0644, 38);
    central.writeUInt32LE(offset, 42); // offset of the local header
    centralParts.push(central, name);

    offset += local.length + name.length + compressed.length;
    if (offset > 0xffffffff) throw new Error('deterministic-zip: archive exceeds 4 GiB (ZIP64 is not supported)');
  }

  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(0, 4); // number of this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...localParts, centralDirectory, end]);
}

function assertUniqueSafeNames(entries: readonly ZipEntry[]): void {
  if (entries.length > 0xffff) throw new Error('deterministic-zip: more than 65535 entries (ZIP64 is not supported)');
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (name.length === 0 || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
      throw new Error(`deterministic-zip: unsafe entry name ${JSON.stringify(name)} (must be relative, '/'-separated)`);
    }
    if (seen.has(name)) throw new Error(`deterministic-zip: duplicate entry name ${JSON.stringify(name)}`);
    seen.add(name);
  }
}

// CRC-32 (IEEE 802.3, as used by ZIP). `zlib.crc32` only exists from Node 20.15, and we support Node ≥ 20.9.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `data`, as an unsigned 32-bit integer. */
export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
