import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamOutput } from '../../../src/cli/output';

describe('CLI output back-pressure', () => {
  it('leaves no listener behind after many blocked writes (no MaxListenersExceededWarning)', async () => {
    const received: string[] = [];
    // A slow pipe reader (like `| cat`): a tiny buffer, so every write waits for 'drain'.
    const sink = new Writable({
      highWaterMark: 4,
      write(chunk, _enc, done) {
        received.push(String(chunk));
        setImmediate(done);
      },
    });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const before = { error: sink.listenerCount('error'), drain: sink.listenerCount('drain') };
      const out = streamOutput(sink, new Writable({ write: (_c, _e, d) => d() }));
      for (let i = 0; i < 50; i++) await out.out(`line ${i}\n`);
      expect(sink.listenerCount('error')).toBe(before.error);
      expect(sink.listenerCount('drain')).toBe(before.drain);
      expect(received.join('')).toBe(Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join(''));
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('rejects when the stream fails while waiting', async () => {
    const sink = new Writable({ highWaterMark: 1, write: () => undefined }); // never drains
    const out = streamOutput(sink, new Writable({ write: (_c, _e, d) => d() }));
    const pending = out.out('x'.repeat(10));
    sink.emit('error', new Error('EPIPE'));
    await expect(pending).rejects.toThrow('EPIPE');
    expect(sink.listenerCount('drain')).toBe(0);
  });
});
