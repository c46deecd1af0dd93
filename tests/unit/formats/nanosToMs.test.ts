import { describe, expect, it } from 'vitest';
import { nanosToMs } from '../../../src/core/formats/common/time';

/** The exact split through BigInt: what nanosToMs returned for every string before its fast path. */
function viaBigInt(v: string): number {
  const b = BigInt(v);
  return Number(b / 1_000_000n) + Number(b % 1_000_000n) / 1e6;
}

describe('nanosToMs', () => {
  it('reads OTLP nanosecond strings exactly, as the BigInt split does', () => {
    // Epoch nanoseconds as OTLP writes them, and the edges of the digit split.
    const samples = [
      '1700000000123456789',
      '1717171717000000000',
      '1',
      '999999',
      '1000000',
      '0000001500000',
      '9007199254740991999999', // whole-ms part beyond 15 digits: the BigInt path
      '123456789012345999999', // 15 whole-ms digits: the last the digit loop takes
      '99999999999999999999999999',
    ];
    for (const v of samples) expect(nanosToMs(v), v).toBe(viaBigInt(v));
    // Random digit strings of every length, leading zeros included.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + (next() % 26);
      let v = '';
      for (let d = 0; d < digits; d++) v += String(next() % 10);
      if (/^0+$/.test(v)) continue;
      expect(nanosToMs(v), v).toBe(viaBigInt(v));
    }
  });

  it('keeps what is not a time undefined', () => {
    for (const v of ['0', '', '-5', '1.5', '12a', ' 12']) expect(nanosToMs(v), v).toBeUndefined();
    expect(nanosToMs(1_500_000)).toBe(1.5);
    expect(nanosToMs(1_500_000n)).toBe(1.5);
  });
});
