/**
 * The one body of every per-model page loader (`src/models/[model]/*.ts`): read `--model=<slug>`,
 * load the project config, compute, print one value to stdout, log to stderr.
 */
import {parseArgs} from "node:util";
import {env} from "../config.js";
import {configPath, loadConfig, type ResolvedConfig} from "../project/config.js";

export type PageComputation<T> = (config: ResolvedConfig, slug: string, log: (line: string) => void) => Promise<T>;

export async function runPageLoader<T>(compute: PageComputation<T>, serialize: (value: T) => string | Uint8Array = (v) => JSON.stringify(v)): Promise<void> {
  const {values} = parseArgs({options: {model: {type: "string"}}});
  if (!values.model) throw new Error("this loader needs --model=<slug> (Framework passes it from the page path)");
  const config = await loadConfig(configPath(env.root));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  process.stdout.write(serialize(await compute(config, values.model, log)));
}
