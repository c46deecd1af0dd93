import { isRecord, parseJsonText, utf8 } from '../common/json';
import { ZipArchive } from '../common/zip';
import { ImportError } from '../../util/errors';

/** An Inspect eval log, JSON or `.eval` ZIP, seen as a header plus samples read one at a time. */
export interface InspectLog {
  /** {version, status, eval, plan, results, stats, …} (header.json, or the JSON log minus samples). */
  header: Record<string, unknown>;
  sampleCount: number;
  /** Samples in a stable order; `where` names the sample for error messages. */
  samples(): Iterable<{ sample: Record<string, unknown>; where: string }>;
}

export function readJsonLog(file: string, data: Buffer): InspectLog {
  const doc = parseJsonText(file, utf8(data));
  if (!isRecord(doc)) throw new ImportError(file, 'an Inspect log must be a JSON object');
  if (!isRecord(doc.eval)) throw new ImportError(file, "not an Inspect eval log: no 'eval' object", { path: '$.eval' });
  const samples = Array.isArray(doc.samples) ? doc.samples : [];
  const { samples: _omit, ...header } = doc;
  return {
    header,
    sampleCount: samples.length,
    *samples() {
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i];
        const where = `$.samples[${i}]`;
        if (!isRecord(s)) throw new ImportError(file, 'sample is not an object', { path: where });
        yield { sample: s, where };
      }
    },
  };
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
