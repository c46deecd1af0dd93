import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

/**
 * The workspace's integrity check (PRAGMA quick_check) on open. A damaged file opens read-only,
 * so it never takes a write more (workspace.ts). quick_check reads the whole file: ~0.3 s for
 * 64 MiB but 9–28 s for the 2 GB a 1M-span trace makes, which every `tracedeck ls` and every
 * `tracedeck serve` start paid. So a big file is checked in a child process instead: reads go on
 * meanwhile, and writes wait for its answer (Workspace.beginWrite), so the guarantee holds.
 * A child process, not a worker thread: quick_check is one native call a worker cannot be
 * stopped in, and a short command (`tracedeck ls`) must not wait for it at exit.
 */

/** Above this size the check runs in the background (a file at or below it is checked at once). */
export const BACKGROUND_CHECK_FROM_BYTES = 64 * 1024 * 1024;

/** How the file's open should check it: now (small, new, or being migrated) or in the background. */
export function checkInBackground(path: string, fromBytes: number, schemaVersion: number): boolean {
  if (!existsSync(path) || statSync(path).size <= fromBytes) return false;
  // A migration writes at open, before any background answer: check such a file first.
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return (db.pragma('user_version', { simple: true }) as number) >= schemaVersion;
  } catch {
    return false; // unreadable header or schema: the check at once says what is wrong
  } finally {
    db?.close();
  }
}

/** PRAGMA quick_check on a separate read-only connection: null when fine, else what it found. */
export function checkIntegrity(path: string): string | null {
  if (!existsSync(path)) return null; // a new workspace
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return verdict(db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[]);
  } catch (e) {
    const found = corruption(e);
    if (found !== undefined) return found;
    throw e;
  } finally {
    db?.close();
  }
}

/** quick_check's rows → null when fine, else one line (shown in a banner and a CLI warning). */
function verdict(rows: { quick_check: string }[]): string | null {
  const found = rows.map((r) => r.quick_check);
  if (found.length === 1 && found[0] === 'ok') return null;
  return found.join('; ').replace(/\s*\n\s*/g, '; ').slice(0, 500);
}

/** What an error thrown by the check means: damage (its message), cannot check now (null), or undefined: not the file's fault. */
function corruption(e: unknown): string | null | undefined {
  const code = (e as { code?: string }).code;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return (e as Error).message;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED') return null;
  return undefined;
}

export interface BackgroundCheck {
  /** What the check found (null: fine, or it could not run). Never rejects. */
  done: Promise<string | null>;
  /** Stops the check (the workspace closed): `done` then settles with null. */
  stop(): void;
}

/** Nice 19: runs only when nothing else wants the CPU. */
const BACKGROUND_PRIORITY = 19;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

// Plain CommonJS for `node -e`: prints quick_check's rows, or the error's code and message.
const CHILD_SOURCE = `
const [driver, path] = process.argv.slice(1);
let out;
try {
  const db = new (require(driver))(path, { readonly: true, fileMustExist: true });
  out = { rows: db.pragma('quick_check(5)', { simple: false }) };
  db.close();
} catch (e) {
  out = { error: { code: e && e.code, message: String(e && e.message) } };
}
process.stdout.write(JSON.stringify(out));
`;

/** Runs checkIntegrity's quick_check in a child process (the app's own Node, or Electron run as Node). */
export function checkIntegrityInBackground(path: string): BackgroundCheck {
  const child = spawn(process.execPath, ['-e', CHILD_SOURCE, DRIVER, path], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  // Background work: on a 2-core machine the check (seconds of CPU on a big file) would take a
  // core from the page and the server the user waits on as the app starts.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, BACKGROUND_PRIORITY);
    } catch {
      // not permitted here: the check runs at normal priority
    }
  }
  let stopped = false;
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (s: string) => (out += s));
  const done = new Promise<string | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', () => {
      if (stopped) return resolve(null);
      try {
        const r = JSON.parse(out) as { rows?: { quick_check: string }[]; error?: { code?: string; message: string } };
        if (r.rows) return resolve(verdict(r.rows));
        resolve(corruption(Object.assign(new Error(r.error?.message), { code: r.error?.code })) ?? null);
      } catch {
        resolve(null); // the child died without an answer: as if it could not check
      }
    });
  });
  // A short command's exit is not held up by the check (close() also stops it).
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  return {
    done,
    stop() {
      stopped = true;
      child.kill('SIGKILL');
    },
  };
}
