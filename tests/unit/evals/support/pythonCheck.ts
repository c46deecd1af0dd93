import { spawnSync } from 'node:child_process';

/**
 * Python-side checks of exported files: `ast.parse` for scripts, `yaml.safe_load` for YAML.
 * Returns null when python3 (or PyYAML) is not installed, so callers can say so.
 */
export function python(code: string, input: string): { ok: boolean; out: string } | null {
  const r = spawnSync('python3', ['-c', code], { input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) return null;
  if (r.status !== 0 && /ModuleNotFoundError: No module named 'yaml'/.test(r.stderr)) return null;
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

export const PY_PARSE = 'import ast, sys; ast.parse(sys.stdin.read())';
export const PY_YAML_TO_JSON = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
