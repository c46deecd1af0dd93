/**
 * Time conversions to epoch milliseconds (float). Every format has its own unit; see
 * ../shared/fixtures/FORMATS.md §10.2.
 */

/** Nanoseconds as decimal string or number (OTLP, MLflow). Exact (to the double) for strings. */
export function nanosToMs(v: unknown): number | undefined {
  if (typeof v === 'string') {
    if (v === '0') return undefined;
    const cut = v.length - 6;
    if (v.length > 0 && cut <= 15) {
      // Digit by digit while the whole-ms part is exact in a double (15 digits; epoch ns have 13):
      // every OTLP span has two of these, and a regex test + BigInt division cost 3× as much.
      let ms = 0;
      let frac = 0;
      for (let i = 0; i < v.length; i++) {
        const d = v.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return undefined;
        if (i < cut) ms = ms * 10 + d;
        else frac = frac * 10 + d;
      }
      return ms + frac / 1e6;
    }
    if (!/^\d+$/.test(v)) return undefined;
    const b = BigInt(v);
    // Split to keep sub-ms precision without float64 overflow of the ns value.
    return Number(b / 1_000_000n) + Number(b % 1_000_000n) / 1e6;
  }
  if (typeof v === 'bigint') return v === 0n ? undefined : Number(v / 1_000_000n) + Number(v % 1_000_000n) / 1e6;
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v / 1e6;
  return undefined;
}

/** OTel-JS HrTime [seconds, nanoseconds]. */
export function hrTimeToMs(v: unknown): number | undefined {
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
    return v[0] * 1000 + v[1] / 1e6;
  }
  return undefined;
}

/**
 * ISO-8601 → ms, keeping microseconds (Date.parse drops them). A string without zone is UTC
 * (LangSmith Python run ops write naive UTC).
 */
export function isoToMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v.trim());
  if (!m) {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  const zone = m[4] ? (m[4].toUpperCase() === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4]) : 'Z';
  const base = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (!Number.isFinite(base)) return undefined;
  const frac = m[3] ? Number(`0.${m[3]}`) * 1000 : 0;
  return base + frac;
}

/** Epoch number of unknown unit (s, ms, µs, ns) → ms, by magnitude. Used where formats vary. */
function epochToMs(v: number): number {
  if (v > 1e17) return v / 1e6; // ns
  if (v > 1e14) return v / 1e3; // µs
  if (v > 1e11) return v; // ms
  return v * 1000; // s
}

/** Any of the above. */
export function anyTimeToMs(v: unknown): number | undefined {
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return v.length >= 18 ? nanosToMs(v) : epochToMs(Number(v));
    return isoToMs(v);
  }
  if (typeof v === 'number' && Number.isFinite(v)) return epochToMs(v);
  return hrTimeToMs(v);
}

/** protobuf Duration string "5.098s" → ms. */
export function durationStringToMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(v.trim());
  return m ? Number(m[1]) * 1000 : undefined;
}
