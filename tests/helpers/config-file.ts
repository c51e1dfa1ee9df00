/** Project config files for tests and benchmarks, as a user writes them. */
import {writeFileSync} from "node:fs";
import {resolve} from "node:path";
import type {ProjectConfig} from "../../loaders/project/config.js";

const CONFIG_MODULE = resolve("loaders/project/config.ts");

/**
 * Writes `export default defineConfig(<config>)` to `path`; returns the path. Use `.mts` outside
 * the project: a temp folder has no package.json saying "module".
 */
export function writeConfig(path: string, config: ProjectConfig | Record<string, unknown>): string {
  writeFileSync(path, `import {defineConfig} from ${JSON.stringify(CONFIG_MODULE)};\nexport default defineConfig(${JSON.stringify(config)});\n`);
  return path;
}
