import { isRecord, parseJsonText } from '../common/json';
import { formatPath, scanJsonStream } from '../common/jsonStream';
import { ZipArchive } from '../common/zip';
import { ImportError } from '../../util/errors';
import type { ImportSource } from '../types';

/** An Inspect eval log, JSON or `.eval` ZIP, seen as a header plus samples read one at a time. */
export interface InspectLog {
  /** {version, status, eval, plan, results, stats, …} (header.json, or the JSON log minus samples). */
  header: Record<string, unknown>;
  sampleCount: number;
  /** Samples in a stable order; `where` names the sample for error messages. */
  samples(): Iterable<{ sample: Record<string, unknown>; where: string }>;
}

/** Top-level keys of a JSON log besides `samples` (EvalLog fields). */
const HEADER_KEYS = ['version', 'status', 'eval', 'plan', 'results', 'stats', 'error', 'reductions', 'location', 'etag'];

/**
 * Streams a JSON log: header fields are kept, samples are handed over one at a time as they are
 * read, so a multi-GB log never sits in memory (or in one string) whole. Inspect writes `eval`
 * before `samples`; samples met before it wait until the header is complete.
 */
export async function streamJsonLog(
  source: ImportSource,
  onSample: (sample: Record<string, unknown>, where: string, header: Record<string, unknown>) => void,
): Promise<{ header: Record<string, unknown>; sampleCount: number }> {
  const file = source.name;
  const header: Record<string, unknown> = {};
  const waiting: { sample: Record<string, unknown>; where: string }[] = [];
  let sampleCount = 0;
  await scanJsonStream(source.chunks(), {
    file,
    patterns: [...HEADER_KEYS, 'samples[*]'],
    multiple: false,
    onValue: (v) => {
      if (v.path[0] !== 'samples') {
        header[String(v.path[0])] = v.value;
        return;
      }
      const where = formatPath(['$', ...v.path]);
      if (!isRecord(v.value)) throw new ImportError(file, 'sample is not an object', { line: v.line, path: where });
      sampleCount++;
      if (isRecord(header.eval)) onSample(v.value, where, header);
      else waiting.push({ sample: v.value, where });
    },
  });
  if (!isRecord(header.eval)) throw new ImportError(file, "not an Inspect eval log: no 'eval' object", { path: '$.eval' });
  for (const w of waiting) onSample(w.sample, w.where, header);
  return { header, sampleCount };
}

const SAMPLE_MEMBER = /^samples\/(.+)_epoch_(\d+)\.json$/;

export function readEvalZip(file: string, data: Buffer): InspectLog {
  const zip = ZipArchive.open(file, data);
  // header.json is written when the eval finishes; a running or crashed eval only has the journal.
  const headerName = zip.has('header.json') ? 'header.json' : zip.has('_journal/start.json') ? '_journal/start.json' : null;
  if (!headerName) {
    throw new ImportError(file, 'not an Inspect .eval log: the ZIP has neither header.json nor _journal/start.json');
  }
  const header = parseMember(zip, headerName);
  if (!isRecord(header) || !isRecord(header.eval)) {
    throw new ImportError(file, `ZIP member '${headerName}' has no 'eval' object`, { path: headerName });
  }
  const members = zip.entries
    .map((e) => ({ e, m: SAMPLE_MEMBER.exec(e.name) }))
    .filter((x): x is { e: (typeof zip.entries)[number]; m: RegExpExecArray } => x.m !== null)
    .sort(
      (a, b) =>
        a.m[1]!.localeCompare(b.m[1]!, 'en', { numeric: true }) || Number(a.m[2]) - Number(b.m[2]),
    );
  return {
    header,
    sampleCount: members.length,
    *samples() {
      for (const { e } of members) {
        const s = parseMember(zip, e.name);
        if (!isRecord(s)) throw new ImportError(file, `ZIP member '${e.name}' is not a sample object`, { path: e.name });
        yield { sample: s, where: e.name };
      }
    },
  };
}

function parseMember(zip: ZipArchive, member: string): unknown {
  const text = zip.readText(member);
  try {
    return JSON.parse(text);
  } catch {
    try {
      parseJsonText(zip.archiveName, text);
    } catch (e) {
      if (e instanceof ImportError) {
        const detail = e.message.slice(e.message.indexOf(': ', zip.archiveName.length) + 2);
        throw new ImportError(zip.archiveName, `ZIP member '${member}': ${detail}`, {
          line: e.line,
          column: e.column,
          path: member,
        });
      }
      throw e;
    }
    throw new ImportError(zip.archiveName, `ZIP member '${member}' is not valid JSON`, { path: member });
  }
}
