import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Builds ZIP archives for tests, including deliberately lying ones (zip bombs): each member's
 * header fields can be overridden independently of its real data.
 */
export interface ZipMember {
  name: string;
  data: Buffer;
  /** 8 deflate (default) or 0 stored. */
  method?: 0 | 8;
  /** Pre-compressed bytes to store instead of compressing `data` (for huge inflated sizes). */
  raw?: Buffer;
  /** Uncompressed size to declare instead of data.length. */
  declaredSize?: number;
  crc?: number;
}

export function buildZip(members: ZipMember[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const method = m.method ?? 8;
    const body = m.raw ?? (method === 8 ? deflateRawSync(m.data) : m.data);
    const size = m.declaredSize ?? m.data.length;
    const crc = m.crc ?? crc32(m.data);
    const name = Buffer.from(m.name, 'utf8');
    const z64 = opts.zip64 === true;

    const extraLocal = z64 ? zip64Extra([size, body.length]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(z64 ? 45 : 20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(z64 ? 0xffffffff : body.length, 18);
    local.writeUInt32LE(z64 ? 0xffffffff : size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extraLocal.length, 28);
    locals.push(local, name, extraLocal, body);

    const extraCentral = z64 ? zip64Extra([size, body.length, offset]) : Buffer.alloc(0);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(z64 ? 45 : 20, 4);
    central.writeUInt16LE(z64 ? 45 : 20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(z64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(z64 ? 0xffffffff : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extraCentral.length, 30);
    central.writeUInt32LE(z64 ? 0xffffffff : offset, 42);
    centrals.push(central, name, extraCentral);
    offset += 30 + name.length + extraLocal.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(members.length), 24);
    rec.writeBigUInt64LE(BigInt(members.length), 32);
    rec.writeBigUInt64LE(BigInt(cd.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : members.length, 8);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : members.length, 10);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, cd, ...tail, eocd]);
}

function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

/**
 * A raw deflate stream that inflates to `mib` MiB of zeros, built without allocating them: one
 * full-flushed MiB (no back-references across it) repeated, then an empty final block.
 */
export function deflatedZeros(mib: number): Buffer {
  const chunk = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  const parts: Buffer[] = new Array(mib).fill(chunk);
  parts.push(deflateRawSync(Buffer.alloc(0)));
  return Buffer.concat(parts);
}
