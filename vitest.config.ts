import {defineConfig} from "vitest/config";
import {BaseSequencer, type TestSpecification} from "vitest/node";

/**
 * Three tiers, one vitest project each; `npm test` runs all three (as CI does), `npm run test:unit`
 * is the one to run before every commit.
 * - slow: what ships re-derived from the model and scripts (the embedded model's card and training
 *   curve, the derived datasets), the embedded model's claims, and the built site in a browser.
 *   The last two read one report built per run (tests/helpers/report.ts).
 * - integration: fixture models through onnxruntime, the CLI in child processes, and the fault
 *   injection suite (tests/faults: full disks, damaged caches, concurrent runs, a trickling hub).
 * - unit: pure code (analyses, datasets, store, components); tests/setup/unit-guard.ts makes a
 *   subprocess or a model session there an error that names this file.
 */
const SLOW = [
  "tests/models/{embedded,embedded-train,card}.test.ts", "tests/datasets/reproduce.test.ts", "tests/analyses/embedded.test.ts", "tests/site/**/*.test.ts"
];
const INTEGRATION = [
  "tests/cli/{analyze,build,extract,models,serve}.test.ts",
  "tests/datasets/counts.test.ts",
  "tests/faults/**/*.test.ts",
  "tests/extract/{extract,generate,latent-language,model-knowledge,to-store,token-counts,tokenize}.test.ts",
  "tests/models/{device,formats,layouts,logit-lens,neurons,optimize,resolve,session,surgery}.test.ts",
  "tests/project/build.test.ts",
  "tests/report/{analyze,model-pages}.test.ts",
  "tests/shard/{merge,slurm,plan-run}.test.ts",
  "tests/store/parquet-export.test.ts"
];

/**
 * The shared test report (tests/helpers/report.ts) is the longest chain of the run: the site test
 * builds it first, and the embedded model's claims, which read it too, go last. Otherwise both
 * start together and the second holds a worker idle for the whole build (about 160 s on 2 cores).
 */
const REPORT_BUILDER = "tests/site/site.test.ts";
const REPORT_READER = "tests/analyses/embedded.test.ts";

class ReportFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const place = (file: TestSpecification) => (file.moduleId.endsWith(REPORT_BUILDER) ? -1 : file.moduleId.endsWith(REPORT_READER) ? 1 : 0);
    // Array.prototype.sort is stable: the rest keeps vitest's order.
    return (await super.sort(files)).sort((a, b) => place(a) - place(b));
  }
}

export default defineConfig({
  test: {
    // One place for timeouts (as transformers.js does in tests/init.js): model tests load ONNX sessions.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Both cores: vitest would otherwise leave one idle on a 2-core machine.
    maxWorkers: 2,
    sequence: {sequencer: ReportFirst},
    projects: [
      {extends: true, test: {name: "unit", include: ["tests/**/*.test.ts"], exclude: [...SLOW, ...INTEGRATION], setupFiles: ["tests/setup/unit-guard.ts"]}},
      {extends: true, test: {name: "integration", include: INTEGRATION}},
      {extends: true, test: {name: "slow", include: SLOW, hookTimeout: 900_000}}
    ]
  }
});
