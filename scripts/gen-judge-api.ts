/**
 * Regenerates the judge-API artifacts derived from src/core/judges/traceApi.ts and traceAccess.ts:
 * src/core/judges/generated/judgeApi.generated.ts (sandbox JS + Monaco .d.ts text) and
 * judges/tracedeck-judge.d.ts. Usage: node --import tsx scripts/gen-judge-api.ts
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_MODULE, USER_DTS_FILE, writeJudgeApiArtifacts } from '../src/core/judges/codegen';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeJudgeApiArtifacts(root);
console.log(`wrote ${GENERATED_MODULE} and ${USER_DTS_FILE}`);
