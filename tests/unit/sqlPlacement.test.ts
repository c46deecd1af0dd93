/**
 * SQL lives only in the engine's store modules (src/core/store, README "Architecture"). Scans
 * every source file elsewhere under src/ for what writing SQL takes with better-sqlite3:
 * preparing a statement, exec of SQL text, pragma, transaction, or importing the driver.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SQL_USE: [what: string, re: RegExp][] = [
  ['prepares a statement', /\.prepare\((?!\))/],
  ['executes SQL text', /\.exec\(\s*['"`]\s*(BEGIN|COMMIT|ROLLBACK|SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|ATTACH|DETACH|PRAGMA|WITH)\b/i],
  ['sets a pragma', /\.pragma\(/],
  ['opens a transaction', /\.transaction\(/],
  ['imports the SQLite driver', /from\s+['"]better-sqlite3['"]/],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx|mts)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** What a file outside src/core/store does with SQL, one line per finding. */
export function sqlFindings(root: string): string[] {
  const found: string[] = [];
  for (const file of sources(join(root, 'src'))) {
    const rel = relative(root, file).split('\\').join('/');
    if (rel.startsWith('src/core/store/')) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [what, re] of SQL_USE) if (re.test(line)) found.push(`${rel}:${i + 1} ${what}: ${line.trim()}`);
      });
  }
  return found;
}

describe('SQL only in src/core/store', () => {
  it('no file outside src/core/store prepares, executes or imports SQL', () => {
    expect(sqlFindings(ROOT)).toEqual([]);
  });

  it('the check fires on each way of writing SQL', () => {
    const lines = [
      `ws.db.prepare('SELECT 1').get()`,
      "db.exec(`DELETE FROM spans`)",
      `db.pragma('user_version')`,
      `db.transaction(() => 1)()`,
      `import Database from 'better-sqlite3';`,
    ];
    lines.forEach((l, i) => expect(SQL_USE[i]![1].test(l), l).toBe(true));
    // a sandbox script's prepare() call and a RegExp exec are not SQL
    expect(SQL_USE.some(([, re]) => re.test(`__tracedeck.prepare()`))).toBe(false);
    expect(SQL_USE.some(([, re]) => re.test(`/^(\\d+)$/.exec(name)`))).toBe(false);
  });
});
