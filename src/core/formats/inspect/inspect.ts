import type { FormatImporter } from '../types';
import { looksLikeZip } from '../common/zip';
import { ImportError } from '../../util/errors';
import { readEvalZip, streamJsonLog } from './logReader';
import { emitSample } from './sampleTrace';

/**
 * Inspect AI eval logs (UK AISI): the JSON log and the `.eval` ZIP. One trace per sample × epoch;
 * see eventTree.ts for how the event stream becomes spans.
 */
export const inspectImporter: FormatImporter = {
  id: 'inspect-ai',
  label: 'Inspect AI eval log',
  extensions: ['eval', 'json'],
  signature: {
    tokens: ['eval', 'plan', 'results', 'stats', 'samples', 'reductions', 'eval_id', 'task'],
    requires: 'an `eval` object (JSON log) or an .eval zip',
  },

  sniff(name, head) {
    const isEvalName = /\.eval$/i.test(name);
    if (looksLikeZip(head)) {
      // Local headers carry member names; Inspect writes _journal/start.json first.
      const names = head.toString('latin1');
      if (/_journal\/start\.json|header\.json|samples\/[^/]+_epoch_\d+\.json/.test(names)) return 0.95;
      return isEvalName ? 0.8 : 0;
    }
    if (isEvalName) return 0.5; // named like one: let the importer say what is wrong with it
    const text = head.toString('utf8', 0, Math.min(head.length, 4096));
    if (/^\uFEFF?\s*\{\s*"version"\s*:\s*\d+\s*,\s*"status"\s*:\s*"(started|success|cancelled|error)"\s*,\s*"eval"\s*:/.test(text)) {
      return 0.95;
    }
    if (/"eval"\s*:\s*\{/.test(text) && /"task"\s*:/.test(text) && /"run_id"\s*:/.test(text)) return 0.8;
    return 0;
  },

  async parse(source, sink) {
    const noSamples = () =>
      new ImportError(
        source.name,
        'the eval log holds no samples (run with log_samples=False, or still running before any sample finished)',
      );
    if (looksLikeZip(source.head) || /\.eval$/i.test(source.name)) {
      const log = readEvalZip(source.name, await source.readAll());
      if (log.sampleCount === 0) throw noSamples();
      const info = { file: source.name, header: log.header };
      for (const { sample, where } of log.samples()) emitSample(sample, where, info, sink);
      return;
    }
    const { sampleCount } = await streamJsonLog(source, (sample, where, header) =>
      emitSample(sample, where, { file: source.name, header }, sink),
    );
    if (sampleCount === 0) throw noSamples();
  },
};
