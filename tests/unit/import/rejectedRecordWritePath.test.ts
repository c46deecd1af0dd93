import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { tempWorkspace } from '../../helpers/tempWorkspace';

// Issue 12: the 'failed' history row of a refused file must be written through the workspace's
// write path. Written straight on the connection while another writer of this process holds its
// transaction open, the row joins that transaction and is rolled back with it.
describe('a refused file is recorded through the write path', () => {
  it('keeps its failed row when a concurrent write of the same process rolls back', async () => {
    const t = tempWorkspace();
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      // Another writer (e.g. a merge import) opens its transaction, awaits, then fails.
      const other = t.ws.exclusive(async () => {
        await held;
        throw new Error('the other write failed');
      });
      const missing = join(t.dir, 'no-such-file.json');
      const refused = importFile(t.ws, missing).catch((e: Error) => e);
      // let the refusal reach its history write while the other transaction is still open
      await new Promise((r) => setTimeout(r, 50));
      release();
      await expect(other).rejects.toThrow('the other write failed');
      const err = await refused;
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain('no-such-file.json');
      const rows = t.ws.listImports();
      expect(rows.map((r) => [r.source, r.status])).toEqual([[missing, 'failed']]);
      expect(rows[0]!.error).toContain('no-such-file.json');
    } finally {
      t.cleanup();
    }
  });
});
