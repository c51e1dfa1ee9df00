import {defineConfig} from "vitest/config";

// One place for timeouts (as transformers.js does in tests/init.js): model tests load ONNX sessions.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks"
  }
});
