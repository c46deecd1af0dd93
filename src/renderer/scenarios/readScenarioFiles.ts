import type { ScenarioLoadResult, TracedeckClient } from '../../shared/api';
import { SCENARIO_FILE_SUFFIX } from '../../shared/apiConstants';
import { errorText } from '../labels/errorText';

/** Scenario files are small hand-written JSON; anything bigger is not one (the backend caps it too). */
const MAX_BYTES = 4_000_000;

export const isScenarioFile = (f: File) => f.name.toLowerCase().endsWith(SCENARIO_FILE_SUFFIX);

/**
 * Read scenario files the user picked or dropped and import them. The page reads the text (the
 * same in the desktop app and the browser); the backend validates each file with the scenario
 * schema and names the file and field of every problem. Never throws: failures come back as
 * errors of the files concerned.
 */
export async function readScenarioFiles(client: TracedeckClient, files: File[]): Promise<ScenarioLoadResult> {
  const errors: ScenarioLoadResult['errors'] = [];
  const texts: { name: string; text: string }[] = [];
  for (const f of files) {
    if (f.size > MAX_BYTES) {
      errors.push({ file: f.name, message: `${f.name}: ${f.size} bytes is too large for a scenario file` });
      continue;
    }
    try {
      texts.push({ name: f.name, text: await f.text() });
    } catch (e) {
      errors.push({ file: f.name, message: `${f.name}: could not be read: ${errorText(e)}` });
    }
  }
  if (!texts.length) return { loaded: [], errors };
  try {
    const r = await client.call('importScenarioFiles', { files: texts });
    return { loaded: r.loaded, errors: [...errors, ...r.errors] };
  } catch (e) {
    return { loaded: [], errors: [...errors, ...texts.map((t) => ({ file: t.name, message: `${t.name}: ${errorText(e)}` }))] };
  }
}
