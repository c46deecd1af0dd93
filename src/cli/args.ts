import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exitCodes';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode, its errors turned into usage errors (exit 2). */
export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got '${raw}')`);
  return n;
}

/** Values of a repeatable option, split on commas (`--status ok,error`), deduplicated; undefined when absent. */
export function listValues(raw: string[] | undefined): string[] | undefined {
  if (!raw || raw.length === 0) return undefined;
  return [...new Set(raw.flatMap((r) => r.split(',')).map((v) => v.trim()).filter(Boolean))];
}

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`--${name} '${raw}' is not one of: ${allowed.join(', ')}`);
  return raw as T;
}
