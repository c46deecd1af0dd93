// Import this first in every bundle that runs under a strict CSP (renderer, preload) and
// imports src/shared/api.ts. api.ts builds zod schemas at module load, and zod v4 probes
// `new Function("")` while building object schemas to decide whether to JIT-compile parsers;
// without 'unsafe-eval' that probe is reported as a CSP violation. Only the backend validates
// with these schemas, so the JIT is switched off before any schema exists.
import { z } from 'zod';

z.config({ jitless: true });
