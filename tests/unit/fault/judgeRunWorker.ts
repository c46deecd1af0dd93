/**
 * Child process of judgeRunKill.test.ts (run with `node --import tsx`):
 *   judgeRunWorker.ts <workspace> <judge file>
 * Runs the code judge over every trace (cache off, so every verdict is really computed) and
 * prints `start <runId>` and `progress <done> <total>` lines, so the test can SIGKILL it mid-run.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseJudgeFile } from '../../../src/core/judges/judgeFiles';
import { runJudges } from '../../../src/core/judges/runs';
import { Workspace } from '../../../src/core/store/workspace';

const [wsPath, judgeFile] = process.argv.slice(2);
if (!wsPath || !judgeFile) {
  console.error('usage: judgeRunWorker.ts <workspace> <judge file>');
  process.exit(2);
}
const ws = Workspace.open(wsPath);
const judge = parseJudgeFile(basename(judgeFile), readFileSync(judgeFile, 'utf8'));
const { run } = await runJudges(ws, {
  judges: [judge],
  selection: { mode: 'all' },
  name: 'to be killed',
  concurrency: 2,
  useCache: false,
  onStart: (r) => process.stdout.write(`start ${r.id}\n`),
  onProgress: (p) => process.stdout.write(`progress ${p.done} ${p.total}\n`),
});
process.stdout.write(`done ${run.status}\n`);
ws.close();
