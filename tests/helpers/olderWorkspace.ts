import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { MIGRATIONS } from '../../src/core/store/schema';

/**
 * An in-memory workspace as an older Tracedeck left it: every migration before the one whose SQL
 * contains `marker`, and user_version saying so. A migration test fills it, then runs migrate().
 */
export function workspaceBefore(marker: string): Database.Database {
  const version = MIGRATIONS.findIndex((m) => m.includes(marker));
  expect(version, `no migration contains ${marker}`).toBeGreaterThan(0);
  const db = new Database(':memory:');
  for (let v = 0; v < version; v++) db.exec(MIGRATIONS[v]!);
  db.pragma(`user_version = ${version}`);
  return db;
}
