/** Model folders for failure tests. */
import {cp, writeFile} from "node:fs/promises";
import {join} from "node:path";

/** A copy of a fixture model whose ONNX file is not a graph: it resolves, then fails to load. Returns its folder. */
export async function brokenModel(fixture: string, dir: string): Promise<string> {
  const broken = join(dir, "broken-model");
  await cp(fixture, broken, {recursive: true});
  await writeFile(join(broken, "onnx", "model.onnx"), "not an onnx graph");
  return broken;
}
