/**
 * Typed-array columns as base64 strings inside JSON: a 100k-element Float64 column is one 1.07 MB
 * string instead of 100k number tokens, which is what makes the trace view's payload cheap to
 * stringify, send (HTTP or IPC) and parse. Byte order is the platform's (little-endian on every
 * platform Tracedeck runs on); both ends use this module. Runs in Node and in the browser.
 */

type NodeBuffer = { from(a: ArrayBufferLike | string, o?: number | string, l?: number): Uint8Array & { toString(enc: string): string } };
const NodeBuf = (globalThis as unknown as { Buffer?: NodeBuffer }).Buffer;

function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuf) return NodeBuf.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(bin);
}

/** Native decoder where the engine has it (Chromium 140+): several times faster than atob + loop. */
const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;

function base64ToBytes(b64: string): Uint8Array {
  if (fromBase64) return fromBase64(b64);
  if (NodeBuf) {
    const b = NodeBuf.from(b64, 'base64');
    // Copy into a fresh, aligned buffer: Node's pooled Buffers may start at odd offsets.
    return new Uint8Array(b);
  }
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeColumn(a: Int32Array | Float64Array | Uint8Array): string {
  return bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

export function decodeInt32(b64: string): Int32Array {
  const bytes = base64ToBytes(b64);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
}

export function decodeFloat64(b64: string): Float64Array {
  const bytes = base64ToBytes(b64);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 3);
}

export function decodeUint8(b64: string): Uint8Array {
  return base64ToBytes(b64);
}
