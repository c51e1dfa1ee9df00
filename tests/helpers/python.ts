/**
 * Debian's /usr/bin/python3 for the tests that rerun the project's Python scripts (the first
 * `python3` on PATH may be another interpreter); .ci/system-deps installs it with its modules.
 */
import {spawnSync} from "node:child_process";

export const PYTHON = "/usr/bin/python3";

// Imports each module named on the command line; prints {name: __version__, or null if it fails}.
const PROBE = `import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    try:
        found[name] = str(getattr(importlib.import_module(name), "__version__", ""))
    except Exception:
        found[name] = None
print(json.dumps(found))`;

/**
 * What PYTHON lacks of `modules`, as one line, or null if nothing. A module is "name", or
 * "name==1.13" for a version whose leading parts are 1.13 (1.13, 1.13.0a0, 1.13.1).
 */
export function missingPython(modules: string[]): string | null {
  const wanted = modules.map((m) => {
    const [name, version] = m.split("==");
    return {name, version};
  });
  const run = spawnSync(PYTHON, ["-c", PROBE, ...wanted.map((w) => w.name)], {encoding: "utf8"});
  if (run.error || run.status !== 0) return `${PYTHON} does not run (${run.error?.message ?? run.stderr.trim().split("\n").pop()})`;
  const found: Record<string, string | null> = JSON.parse(run.stdout);
  const lacks = wanted.flatMap(({name, version}) => {
    const has = found[name];
    if (has === null) return [version ? `${name} ${version}` : name];
    if (version && has !== version && !has.startsWith(`${version}.`)) return [`${name} ${version} (it has ${has})`];
    return [];
  });
  return lacks.length ? `${PYTHON} lacks ${lacks.join(", ")}` : null;
}

/**
 * Whether the tests that need `modules` can run, for describe.skipIf. In CI a missing one throws,
 * so the file fails instead of passing without its checks; elsewhere it says why and skips.
 */
export function requirePython(modules: string[]): boolean {
  const missing = missingPython(modules);
  if (!missing) return true;
  const message = `${missing}: run sudo bash .ci/system-deps`;
  if (process.env.CI) throw new Error(message);
  process.stderr.write(`skipped: ${message}\n`);
  return false;
}
