#!/usr/bin/env node
/**
 * `node scripts/electronegativity.mjs [--input=src] [--justifications=FILE] [--json]`
 *
 * Runs @doyensec/electronegativity (Electron security linter) over the sources and fails on any
 * finding that .electronegativity-justifications.json does not justify. The `npm test` stage
 * "electronegativity" runs this. Exit 0 = every finding justified, 1 = otherwise.
 *
 * Why a wrapper instead of the package's CLI:
 *  - its CLI crashes on start with this dependency tree (it requires `commander` without
 *    declaring it and gets the hoisted commander 14, whose API differs);
 *  - it fetches translations from S3 and Electron's release list from GitHub on every run.
 *    Tests must not touch the network, so `got` is replaced by a stub that always fails and the
 *    translations come from the package's own en-US file. AvailableSecurityFixesGlobalCheck,
 *    which needs that release list, is excluded (justified in the justification file).
 *
 * A justification matches findings by check id, file (relative to the input folder) and a
 * substring of the flagged source line, so it survives line moves but not a change of the code
 * it vouches for. A justification that matches nothing is stale and fails the run too, as does
 * a file the scanner could not parse (it would have been silently unchecked).
 */
import Module, { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PKG_DIR = join(ROOT, 'node_modules/@doyensec/electronegativity');
const MIN_REASON_CHARS = 20;

function parseArgs(argv) {
  const out = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) out[m[1]] = m[2] ?? 'true';
  }
  return out;
}

/** Put a ready-made module into the CommonJS cache so `require(path)` returns `exports`. */
function seedModule(path, exports) {
  const m = new Module(path);
  m.filename = path;
  m.loaded = true;
  m.exports = exports;
  Module._cache[path] = m;
}

/** The scanner with its network access removed. */
function loadScanner() {
  if (!existsSync(join(PKG_DIR, 'package.json'))) {
    throw new Error('@doyensec/electronegativity is not installed (npm install)');
  }
  const req = createRequire(join(PKG_DIR, 'package.json'));
  const offline = () => Promise.reject(new Error('electronegativity: network access disabled in Tracedeck checks'));
  offline.head = offline;
  offline.get = offline;
  offline.default = offline;
  seedModule(req.resolve('got'), offline);
  const i18nPath = req.resolve('./dist/locales/i18n.js');
  const i18n = req('i18n');
  seedModule(i18nPath, async () => {
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: dirname(i18nPath),
      updateFiles: false,
      objectNotation: true,
      register: globalThis, // the scanner calls a global __()
    });
    i18n.setLocale('en-US');
  });
  return req('./dist/runner.js');
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function loadJustifications(file) {
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const problems = [];
  const findings = Array.isArray(raw.findings) ? raw.findings : [];
  const excluded = Array.isArray(raw.excludedChecks) ? raw.excludedChecks : [];
  for (const [i, j] of [...findings.entries()]) {
    if (typeof j.check !== 'string' || typeof j.file !== 'string' || typeof j.line !== 'string') {
      problems.push(`findings[${i}]: needs string fields check, file and line`);
    }
    if (typeof j.reason !== 'string' || j.reason.trim().length < MIN_REASON_CHARS) {
      problems.push(`findings[${i}] (${j.check} in ${j.file}): the reason must say why (≥ ${MIN_REASON_CHARS} characters)`);
    }
  }
  for (const [i, x] of [...excluded.entries()]) {
    if (typeof x.check !== 'string') problems.push(`excludedChecks[${i}]: needs a check class name`);
    if (typeof x.reason !== 'string' || x.reason.trim().length < MIN_REASON_CHARS) {
      problems.push(`excludedChecks[${i}] (${x.check}): the reason must say why (≥ ${MIN_REASON_CHARS} characters)`);
    }
  }
  return { findings, excluded, problems };
}

/** The source line a finding points at (its `sample` is missing for some checks). */
function lineOf(inputDir, file, line) {
  try {
    return readFileSync(join(inputDir, file), 'utf8').split('\n')[line - 1]?.trim() ?? '';
  } catch {
    return '';
  }
}

export async function check({ input, justificationsFile }) {
  const inputDir = resolve(ROOT, input);
  const just = loadJustifications(justificationsFile);
  const run = loadScanner();
  const result = await run({
    input: inputDir,
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: electronVersion(),
    excludeFromScan: just.excluded.map((x) => x.check),
  });
  const used = new Set();
  const findings = result.issues.map((issue) => {
    const code = lineOf(inputDir, issue.file, issue.location.line);
    // `sample` is what the check flagged (e.g. the whole CSP string of a <meta> spanning lines).
    const text = `${code}\n${typeof issue.sample === 'string' ? issue.sample : ''}`;
    const idx = just.findings.findIndex((j) => j.check === issue.id && j.file === issue.file && text.includes(j.line));
    if (idx >= 0) used.add(idx);
    return {
      check: issue.id,
      file: issue.file,
      line: issue.location.line,
      column: issue.location.column,
      code,
      severity: issue.severity?.name,
      confidence: issue.confidence?.name,
      description: issue.description,
      justification: idx >= 0 ? just.findings[idx].reason : null,
    };
  });
  const failures = [...just.problems];
  for (const f of findings) {
    if (!f.justification) failures.push(`unjustified ${f.check} at ${f.file}:${f.line}:${f.column} — ${f.description} (${f.code})`);
  }
  just.findings.forEach((j, i) => {
    if (!used.has(i)) failures.push(`stale justification: ${j.check} in ${j.file} matching "${j.line}" matches no finding`);
  });
  for (const e of result.errors) {
    if (!e.tolerable) failures.push(`could not scan ${e.file}: ${e.message}`);
  }
  if (result.atomicChecks === 0) failures.push('no electronegativity check was loaded');
  return {
    input: inputDir,
    checks: { atomic: result.atomicChecks, global: result.globalChecks },
    excluded: just.excluded,
    findings,
    failures,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const report = await check({
    input: args.input ?? 'src',
    justificationsFile: resolve(ROOT, args.justifications ?? '.electronegativity-justifications.json'),
  });
  if (args.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(
      `electronegativity over ${report.input}: ${report.checks.atomic} atomic + ${report.checks.global} global checks, ` +
        `${report.findings.length} finding(s)`,
    );
    for (const x of report.excluded) console.log(`  excluded ${x.check}: ${x.reason}`);
    for (const f of report.findings) {
      console.log(`  ${f.justification ? 'justified ' : 'UNJUSTIFIED'} ${f.check} ${f.file}:${f.line} (${f.severity}/${f.confidence})`);
      if (f.justification) console.log(`      ${f.justification}`);
    }
    for (const m of report.failures) console.log(`  FAIL ${m}`);
    console.log(report.failures.length ? `${report.failures.length} problem(s)` : 'every finding is justified');
  }
  return report.failures.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e?.stack ?? e);
      process.exitCode = 1;
    },
  );
}
