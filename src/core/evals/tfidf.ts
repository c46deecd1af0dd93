/**
 * TF-IDF vectors: the offline stand-in for an embeddings model when none is configured. Words
 * (lower-cased letters and digits, two characters or more, a few stop words dropped) weighted by
 * log-scaled term frequency × smoothed inverse document frequency, L2-normalised so that the
 * Euclidean distance k-means uses orders pairs like cosine similarity does.
 */

const STOP = new Set(
  'a an and are as at be but by can do does for from has have how i if in is it its me my no not of on or our so than that the their them then there these they this to was we what when where which who why will with you your'.split(
    ' ',
  ),
);

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (w.length >= 2 && !STOP.has(w)) out.push(w);
  }
  return out;
}

export interface TfidfModel {
  /** One vector per document, over `terms`. */
  vectors: Float32Array[];
  terms: string[];
}

/** At most this many terms (the most frequent across documents) span the vector space. */
const MAX_TERMS = 4096;

export function tfidf(docs: readonly string[]): TfidfModel {
  const tokens = docs.map(tokenize);
  const df = new Map<string, number>();
  for (const t of tokens) for (const w of new Set(t)) df.set(w, (df.get(w) ?? 0) + 1);
  const terms = [...df.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_TERMS)
    .map(([w]) => w);
  const index = new Map(terms.map((w, i) => [w, i]));
  const n = docs.length;
  const idf = terms.map((w) => Math.log((1 + n) / (1 + df.get(w)!)) + 1);
  const vectors = tokens.map((t) => {
    const v = new Float32Array(terms.length);
    const tf = new Map<number, number>();
    for (const w of t) {
      const i = index.get(w);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    for (const [i, c] of tf) v[i] = (1 + Math.log(c)) * idf[i]!;
    return normalise(v);
  });
  return { vectors, terms };
}

/** v / |v| in place (a zero vector stays zero). */
export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** The `k` terms weighing most in a cluster's centroid: a readable name for the cluster. */
export function topTerms(centroid: Float32Array, terms: readonly string[], k = 3): string[] {
  return [...centroid]
    .map((w, i) => [w, i] as const)
    .filter(([w]) => w > 0)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => terms[i]!);
}
