import type { Usage } from '../../model/types';
import { asNumber } from './json';

/**
 * Token usage comes under different key names in every SDK. A table per format says which keys
 * may hold each Usage field, in order of preference; the first numeric value wins.
 */
export type UsageKeyTable = readonly (readonly [keyof Usage, readonly string[]])[];

export function readUsage(src: Record<string, unknown>, table: UsageKeyTable): Usage | undefined {
  const usage: Usage = {};
  for (const [field, keys] of table) {
    for (const k of keys) {
      const n = asNumber(src[k]);
      if (n !== undefined) {
        usage[field] = n;
        break;
      }
    }
  }
  return Object.keys(usage).length ? usage : undefined;
}
