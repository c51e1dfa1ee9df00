/**
 * The unit tier runs pure code only: starting a subprocess or an ONNX session there is a mistake
 * in the tier a test was put in, so it fails with a message that says where the test belongs.
 */
import {vi} from "vitest";

const refuse = (what: string) => () => {
  throw new Error(`unit tier: ${what} is not allowed here; list this test file under INTEGRATION or SLOW in vitest.config.ts`);
};

vi.mock("node:child_process", async (original) => ({
  ...(await original<typeof import("node:child_process")>()),
  spawn: refuse("a subprocess (spawn)"), spawnSync: refuse("a subprocess (spawnSync)"), exec: refuse("a subprocess (exec)"),
  execSync: refuse("a subprocess (execSync)"), execFile: refuse("a subprocess (execFile)"), execFileSync: refuse("a subprocess (execFileSync)"), fork: refuse("a subprocess (fork)")
}));

vi.mock("onnxruntime-node", async (original) => {
  const ort = await original<typeof import("onnxruntime-node")>();
  return {...ort, InferenceSession: {...ort.InferenceSession, create: refuse("an ONNX model session")}};
});
