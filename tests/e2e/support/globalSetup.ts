import { ensureWebBuild } from '../../helpers/webBuild';

/** Build out/web (production mode, as the benches and users get it) once per run, when stale. */
export default function setup(): void {
  ensureWebBuild((m) => process.stderr.write(`[e2e] ${m}\n`), process.env.TRACEDECK_E2E_REBUILD === '1');
}
