import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes an export file without following a symbolic link at its name and without ever leaving a
 * half-written file there: the bytes go to a new temporary file beside it (created exclusively,
 * so a planted file or link is never opened), then rename() puts it in place — rename replaces
 * a link that appears meanwhile instead of writing through it. A symlink already at the name is
 * refused: someone who can plant one in the export folder could otherwise make an export
 * overwrite any file the user can write.
 */
export function writeFileSafely(path: string, data: string | Buffer): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st?.isSymbolicLink()) throw new Error(`${path}: refusing to write through a symbolic link`);
  if (st && !st.isFile()) throw new Error(`${path}: exists and is not a regular file`);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
