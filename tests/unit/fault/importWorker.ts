/**
 * Child process of importKill.test.ts (run with `node --import tsx`):
 *   importWorker.ts <workspace> <file>
 * Imports the file and prints `progress <bytesDone> <bytesTotal>` lines as it reads, so the test
 * can SIGKILL it mid-import, then `done <spans>` if it ever finishes.
 */
import { importFile } from '../../../src/core/import/importFile';
import { Workspace } from '../../../src/core/store/workspace';

const [wsPath, file] = process.argv.slice(2);
if (!wsPath || !file) {
  console.error('usage: importWorker.ts <workspace> <file>');
  process.exit(2);
}
const ws = Workspace.open(wsPath);
const res = await importFile(ws, file, {
  onProgress: (done, total) => process.stdout.write(`progress ${done} ${total}\n`),
});
process.stdout.write(`done ${res.spanCount}\n`);
ws.close();
