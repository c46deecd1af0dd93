import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

/**
 * A judge worker thread inside its own child process.
 *
 * Why a process: a worker's `resourceLimits` bound only its V8 heap. Native memory that JS can
 * reach (ICU objects such as Intl.Segmenter, regexp code, string tables) is not counted, and an
 * audit grew a "256 MB" judge to 1.96–3.7 GB RSS by retaining Intl.Segmenter objects. The child's
 * main thread is free while the judge runs on its worker thread, so it measures the resident
 * size of the whole process every few milliseconds (cross-platform: process.memoryUsage.rss) and
 * reports and kills itself above the limit. The host also kills it on that report.
 *
 * To the pool it looks like a worker_threads Worker: postMessage, 'message', 'error', 'exit',
 * terminate(), ref()/unref().
 */

/** Runs in the child (node -e): relays messages to and from the judge worker thread. */
const CHILD_SOURCE = String.raw`
'use strict';
const { Worker } = require('node:worker_threads');
let worker = null;
let limit = Infinity;
let stopping = false;
function die() { try { process.kill(process.pid, 'SIGKILL'); } catch (e) { process.exit(137); } }
function check() {
  if (stopping) return;
  const rss = process.memoryUsage.rss();
  if (rss <= limit) return;
  stopping = true;
  // Tell the host why, then go: the host kills us too, this is the fallback.
  try { process.send({ type: '__memory', rss }); } catch (e) {}
  setTimeout(die, 300);
}
process.on('message', (m) => {
  if (m && m.type === '__init') {
    limit = m.rssLimitMb * 1024 * 1024;
    worker = new Worker(m.source, {
      eval: true,
      workerData: m.workerData,
      env: {},
      argv: [],
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: m.resourceLimits,
    });
    // Drain (and drop) the worker's own stdio so it never blocks on a pipe.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (x) => { try { process.send(x); } catch (e) {} });
    worker.on('error', (e) => { try { process.send({ type: '__error', code: e && e.code, message: String(e && e.message) }); } catch (x) {} });
    worker.on('exit', (code) => { try { process.send({ type: '__exit', code }, () => process.exit(0)); } catch (e) { process.exit(0); } });
    setInterval(check, 10);
    return;
  }
  if (worker) worker.postMessage(m);
});
process.on('disconnect', () => process.exit(0));
`;

export interface JudgeProcessOptions {
  /** Source of the worker thread (eval'd) and its workerData. */
  source: string;
  workerData: unknown;
  resourceLimits: { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number; stackSizeMb: number };
  /** Resident size of the whole process above which it is killed. */
  rssLimitMb: number;
}

export class JudgeProcess extends EventEmitter {
  private readonly child: ChildProcess;
  private exited = false;
  private readonly exitPromise: Promise<void>;
  private refd = true;

  constructor(opts: JudgeProcessOptions) {
    super();
    // Electron's binary is a node only with ELECTRON_RUN_AS_NODE; plain node ignores it.
    const env: NodeJS.ProcessEnv = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
    this.child = spawn(process.execPath, ['--max-old-space-size=512', '-e', CHILD_SOURCE], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'advanced',
      env,
      windowsHide: true,
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        this.emit('exit', code ?? (signal ? 128 : 1));
        resolve();
      });
    });
    this.child.on('error', (e) => this.emit('error', e));
    this.child.on('message', (m: { type?: string; code?: string; message?: string; rss?: number }) => {
      if (m?.type === '__memory') {
        const e = Object.assign(new Error(`its process used ${Math.round((m.rss ?? 0) / 1048576)} MB`), {
          code: 'ERR_JUDGE_PROCESS_MEMORY',
        });
        this.emit('error', e);
        this.kill();
      } else if (m?.type === '__error') {
        this.emit('error', Object.assign(new Error(m.message ?? 'judge worker failed'), { code: m.code }));
      } else if (m?.type === '__exit') {
        this.kill();
      } else this.emit('message', m);
    });
    this.child.send({
      type: '__init',
      source: opts.source,
      workerData: opts.workerData,
      resourceLimits: opts.resourceLimits,
      rssLimitMb: opts.rssLimitMb,
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  postMessage(m: unknown): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(m as object, (e) => {
      // A send that fails (the child is gone) is reported through 'exit'; nothing to do here.
      void e;
    });
  }

  /** Keep the event loop alive only while the process has work (like Worker.ref/unref). */
  ref(): void {
    if (this.refd || this.exited) return;
    this.refd = true;
    this.child.ref();
    this.child.channel?.ref?.();
  }

  unref(): void {
    if (!this.refd || this.exited) return;
    this.refd = false;
    this.child.unref();
    this.child.channel?.unref?.();
  }

  terminate(): Promise<void> {
    // Whoever awaits the exit keeps the process alive until it has happened.
    this.ref();
    this.kill();
    return this.exitPromise;
  }

  private kill(): void {
    if (this.exited) return;
    try {
      this.child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
