import { writerOf } from '../../src/core/store/connection';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importFile } from '../../src/core/import/importFile';
import { Workspace } from '../../src/core/store/workspace';
import { fixture } from './workspace';

const PHOENIX = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');

/**
 * A workspace holding the Phoenix trace, then bytes of the spans table's root page overwritten.
 * `padBytes` makes the file that much bigger (a table of its own), so it is checked in the
 * background as a big workspace is (workspace.ts).
 */
export async function damagedWorkspace(dir: string, opts: { padBytes?: number } = {}): Promise<string> {
  const path = join(dir, `damaged-${Math.random().toString(36).slice(2)}.tracedeck`);
  const ws = Workspace.open(path);
  await importFile(ws, PHOENIX);
  if (opts.padBytes) {
    const db = writerOf(ws);
    db.exec('CREATE TABLE test_padding (b BLOB)');
    const block = Buffer.alloc(1 << 20, 0x5a);
    const insert = db.prepare('INSERT INTO test_padding (b) VALUES (?)');
    db.transaction(() => {
      for (let n = 0; n < opts.padBytes!; n += block.length) insert.run(block);
    })();
  }
  writerOf(ws).pragma('wal_checkpoint(TRUNCATE)');
  ws.close();
  const db = new Database(path, { readonly: true });
  const root = (db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'spans'`).get() as { rootpage: number }).rootpage;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(path, 'r+');
  // The B-tree page header (cell count, content offsets): garbage there is what quick_check finds.
  writeSync(fd, Buffer.alloc(64, 0xab), 0, 64, (root - 1) * pageSize + 1);
  closeSync(fd);
  return path;
}

