import { createHash } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Backend } from '../../backend/handlers';
import { FORMAT_IDS, type FormatId } from '../../shared/api';
import { HttpError, sendJson, tooLarge } from '../http';

/** Uploads are whole trace files; the largest real exports are a few GiB. */
export const UPLOAD_LIMIT = 4 * 1024 * 1024 * 1024;

/**
 * POST /api/upload?name=FILE[&format=ID][&force=1][&keepBoth=1][&open=1] — the browser's way to import a file. The
 * body streams to a private temp file (never held in memory), is imported under the user's file
 * name, and the temp file is removed whatever happens. Answers the ImportOutcome (ok or not).
 */
export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  backend: Backend,
  query: URLSearchParams,
  limit = UPLOAD_LIMIT,
): Promise<void> {
  if (req.method !== 'POST') throw new HttpError(405, 'bad-input', 'uploads are POST requests');
  const name = displayName(query.get('name'));
  const format = query.get('format') ?? undefined;
  if (format !== undefined && !(FORMAT_IDS as readonly string[]).includes(format))
    throw new HttpError(400, 'bad-input', `unknown format '${format.slice(0, 100)}'; formats: ${FORMAT_IDS.join(', ')}`);
  const force = query.get('force') === '1' || query.get('force') === 'true';
  const keepBoth = query.get('keepBoth') === '1' || query.get('keepBoth') === 'true';
  // The page shows the file's trace once staged (import-staged) and loads it before the write.
  const open = query.get('open') === '1';
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const dir = await fsp.mkdtemp(join(tmpdir(), 'tracedeck-upload-'));
  try {
    const file = join(dir, 'upload');
    let size = 0;
    // Hashed as it arrives: the import does not read the file a second time for its hash.
    const hash = createHash('sha256');
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > limit) return cb(tooLarge(limit));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(file, { mode: 0o600 }));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, 'bad-input', `${name}: upload interrupted (${(e as Error).message})`);
    }
    const [outcome] = await backend.importPaths([
      { path: file, displayName: name, format: format as FormatId | undefined, force, keepBoth, open, contentHash: hash.digest('hex') },
    ]);
    sendJson(res, 200, outcome);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** The user's file name, reduced to a base name: it is shown and sniffed, never used as a path. */
function displayName(raw: string | null): string {
  const base = (raw ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!base || base === '.' || base === '..')
    throw new HttpError(400, 'bad-input', 'upload needs a file name: POST /api/upload?name=FILE');
  if (base.length > 255) throw new HttpError(400, 'bad-input', 'file name longer than 255 characters');
  return base;
}
