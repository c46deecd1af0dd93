/**
 * How many traces to sample from each cluster: proportional to its size (largest remainders), but
 * every cluster gets at least `minPerCluster` (or all of it, when smaller) so rare kinds of input
 * are reviewed too — small clusters are over-sampled, the big ones pay for it.
 */
export function allocateSample(sizes: readonly number[], budget: number, minPerCluster = 2): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (budget >= total) return [...sizes];
  const out = sizes.map((s) => Math.min(s, minPerCluster));
  let left = budget - out.reduce((a, b) => a + b, 0);
  if (left < 0) {
    // Not even the minimum fits: one each, largest clusters first, round after round.
    const order = [...sizes.keys()].sort((a, b) => sizes[b]! - sizes[a]! || a - b);
    const few = sizes.map(() => 0);
    let given = 0;
    for (let r = 0; given < budget; r++)
      for (const i of order) {
        if (given >= budget) break;
        if (r < Math.min(sizes[i]!, minPerCluster)) {
          few[i]!++;
          given++;
        }
      }
    return few;
  }
  // The rest proportionally to what each cluster has left, by largest remainder; capped at size.
  while (left > 0) {
    const room = sizes.map((s, i) => s - out[i]!);
    const roomTotal = room.reduce((a, b) => a + b, 0);
    if (roomTotal === 0) break;
    const quota = room.map((r) => (r / roomTotal) * left);
    const floors = quota.map((q, i) => Math.min(room[i]!, Math.floor(q)));
    let given = floors.reduce((a, b) => a + b, 0);
    floors.forEach((f, i) => (out[i]! += f));
    const byRemainder = [...sizes.keys()]
      .filter((i) => out[i]! < sizes[i]!)
      .sort((a, b) => quota[b]! - Math.floor(quota[b]!) - (quota[a]! - Math.floor(quota[a]!)) || sizes[b]! - sizes[a]! || a - b);
    for (const i of byRemainder) {
      if (given >= left) break;
      out[i]!++;
      given++;
    }
    left -= given;
  }
  return out;
}
