import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZipArchive, looksLikeZip } from '../../../src/core/formats/common/zip';
import { ImportError } from '../../../src/core/util/errors';
import { fixture } from '../../helpers/workspace';
import { buildZip, deflatedZeros } from './zipBuilder';

const MiB = 1024 * 1024;

function caught(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('ZipArchive on real Inspect .eval archives (written by Python zipfile)', () => {
  it('lists the members with the sizes Python reports and reads them', () => {
    // Listing checked with python3 zipfile: name, compress_type 8, file_size, compress_size.
    const zip = ZipArchive.open('dedup.eval', readFileSync(fixture('inspect-ai/inspect-message-dedup-tools.eval')));
    expect(zip.names()).toEqual([
      '_journal/start.json',
      'samples/0_epoch_1.json',
      '_journal/summaries/1.json',
      'summaries.json',
      'reductions.json',
      'header.json',
    ]);
    const sample = zip.entry('samples/0_epoch_1.json')!;
    expect(sample.method).toBe(8);
    expect(sample.uncompressedSize).toBe(80785);
    expect(sample.compressedSize).toBe(5253);
    const header = JSON.parse(zip.readText('header.json'));
    expect(header.version).toBe(3);
    expect(header.eval.task).toBe('inspect_test_utils/guess_number');
    expect(zip.read('samples/0_epoch_1.json').length).toBe(80785);
  });

  it('reads all 15 members of the 10-sample archive (10 samples + journal, summaries, reductions, header)', () => {
    const zip = ZipArchive.open('pop.eval', readFileSync(fixture('inspect-ai/inspect-popularity-10samples.eval')));
    expect(zip.entries).toHaveLength(15);
    expect(zip.names().filter((n) => n.startsWith('samples/'))).toHaveLength(10);
    const total = zip.entries.reduce((n, e) => n + zip.read(e).length, 0);
    expect(total).toBe(zip.entries.reduce((n, e) => n + e.uncompressedSize, 0));
  });
});

describe('ZipArchive on built archives', () => {
  it('reads stored and deflated members', () => {
    const buf = buildZip([
      { name: 'a.txt', data: Buffer.from('hello hello hello') },
      { name: 'dir/b.json', data: Buffer.from('{"x":1}'), method: 0 },
    ]);
    expect(looksLikeZip(buf)).toBe(true);
    const zip = ZipArchive.open('t.zip', buf);
    expect(zip.readText('a.txt')).toBe('hello hello hello');
    expect(zip.readText('dir/b.json')).toBe('{"x":1}');
  });

  it('reads ZIP64 archives (sizes and offsets in the extra field, ZIP64 end record)', () => {
    const buf = buildZip(
      [
        { name: 'a.txt', data: Buffer.from('first member') },
        { name: 'b.txt', data: Buffer.from('second member'), method: 0 },
      ],
      { zip64: true },
    );
    const zip = ZipArchive.open('z64.zip', buf);
    expect(zip.entries.map((e) => [e.name, e.uncompressedSize])).toEqual([
      ['a.txt', 12],
      ['b.txt', 13],
    ]);
    expect(zip.readText('b.txt')).toBe('second member');
  });

  it('refuses a member that inflates beyond its declared size, naming archive and member', () => {
    // Declares 1000 bytes, inflates to 2 GiB: inflation stops at 1001 bytes.
    const buf = buildZip([{ name: 'samples/1_epoch_1.json', data: Buffer.alloc(0), raw: deflatedZeros(2048), declaredSize: 1000 }]);
    const zip = ZipArchive.open('bomb.eval', buf);
    const e = caught(() => zip.read('samples/1_epoch_1.json'));
    expect(e.message).toContain('bomb.eval');
    expect(e.message).toContain("'samples/1_epoch_1.json'");
    expect(e.message).toMatch(/more than its declared 1000 bytes/);
  });

  it('refuses a member declaring more than the per-member cap before inflating', () => {
    const buf = buildZip([{ name: 'big.json', data: Buffer.alloc(0), raw: deflatedZeros(1), declaredSize: 2 * 1024 * MiB }]);
    const e = caught(() => ZipArchive.open('big.zip', buf).read('big.json'));
    expect(e.message).toMatch(/declares 2147483648 bytes, over the 536870912-byte limit/);
  });

  it('refuses an extreme compression ratio above the floor, even when the size is honest', () => {
    const zeros = Buffer.alloc(8 * MiB);
    const buf = buildZip([{ name: 'z.bin', data: zeros }]);
    const e = caught(() => ZipArchive.open('ratio.zip', buf).read('z.bin'));
    expect(e.message).toMatch(/compression ratio \d+:1 exceeds 200:1/);
    // Same member below the 1 MiB floor is fine (tiny files compress absurdly well).
    const small = buildZip([{ name: 'z.bin', data: Buffer.alloc(MiB / 2) }]);
    expect(ZipArchive.open('ok.zip', small).read('z.bin').length).toBe(MiB / 2);
  });

  it('caps the total inflated per archive and the entry count', () => {
    const data = Buffer.from('x'.repeat(600));
    const buf = buildZip([
      { name: 'a', data },
      { name: 'b', data },
    ]);
    const zip = ZipArchive.open('total.zip', buf, { maxTotalBytes: 1000 });
    expect(zip.read('a').length).toBe(600);
    expect(caught(() => zip.read('b')).message).toMatch(/beyond 1000 bytes in total/);
    expect(caught(() => ZipArchive.open('many.zip', buf, { maxEntries: 1 })).message).toMatch(/2 entries \(limit 1\)/);
  });

  it('rejects overlapping members (two directory entries pointing at one blob)', () => {
    const buf = buildZip([
      { name: 'a.json', data: Buffer.from('{"a":1}') },
      { name: 'b.json', data: Buffer.from('{"b":2}') },
    ]);
    const cdOffset = buf.readUInt32LE(buf.length - 22 + 16);
    const second = cdOffset + 46 + 'a.json'.length;
    expect(buf.readUInt32LE(second)).toBe(0x02014b50);
    buf.writeUInt32LE(0, second + 42); // b.json now claims a.json's local header
    const e = caught(() => ZipArchive.open('overlap.zip', buf));
    expect(e.message).toMatch(/overlaps member 'a\.json'|local header/);
  });

  it('detects CRC mismatches and members shorter than declared', () => {
    const crcBad = buildZip([{ name: 'a.txt', data: Buffer.from('abc'), crc: 1234 }]);
    expect(caught(() => ZipArchive.open('crc.zip', crcBad).read('a.txt')).message).toMatch(/CRC-32 mismatch/);
    const short = buildZip([{ name: 'a.txt', data: Buffer.from('abc'), declaredSize: 13 }]);
    expect(caught(() => ZipArchive.open('short.zip', short).read('a.txt')).message).toMatch(
      /inflates to 3 bytes, not the declared 13/,
    );
    const garbage = buildZip([{ name: 'a.txt', data: Buffer.from('abc'), raw: Buffer.from([0xff, 0xff, 0xff]) }]);
    expect(caught(() => ZipArchive.open('garbage.zip', garbage).read('a.txt')).message).toMatch(/cannot be inflated/);
  });

  it('names truncated archives and non-ZIP bytes', () => {
    const whole = readFileSync(fixture('inspect-ai/inspect-message-dedup-tools.eval'));
    const cut = caught(() => ZipArchive.open('cut.eval', whole.subarray(0, 4000)));
    expect(cut.message).toMatch(/^cut\.eval: ZIP archive is truncated/);
    const notZip = caught(() => ZipArchive.open('text.eval', Buffer.from('{"version": 2}')));
    expect(notZip.message).toMatch(/^text\.eval: not a ZIP archive/);
    // A directory entry claiming more compressed bytes than lie before the directory.
    const buf = buildZip([{ name: 'a.txt', data: Buffer.from('abc') }]);
    buf.writeUInt32LE(5000, buf.readUInt32LE(buf.length - 22 + 16) + 20);
    expect(caught(() => ZipArchive.open('holes.zip', buf)).message).toMatch(/'a\.txt': data runs past the end/);
  });

  it('refuses unsupported compression methods', () => {
    const buf = buildZip([{ name: 'a.txt', data: Buffer.from('abc'), method: 0 }]);
    buf.writeUInt16LE(12, buf.readUInt32LE(buf.length - 22 + 16) + 10); // bzip2 in the directory
    expect(caught(() => ZipArchive.open('bz.zip', buf).read('a.txt')).message).toMatch(/compression method 12/);
  });
});
