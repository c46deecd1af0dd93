/**
 * The FTS5 query that finds a needle through a trigram index (tokenize = 'trigram', detail =
 * 'none'): the AND of all its trigrams, in code points as the tokenizer counts them. With detail
 * = 'none' that is a superset of the rows containing the needle (trigrams anywhere, folded
 * case), so every user checks its candidates exactly (span_text in view.ts, trace_text in
 * traceQuery.ts). null when the needle is shorter than a trigram: the index cannot help.
 */
export function trigramQuery(needle: string): string | null {
  const cps = Array.from(needle.toLowerCase());
  if (cps.length < 3) return null;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= cps.length; i++) grams.add(cps.slice(i, i + 3).join(''));
  return [...grams].map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ');
}
