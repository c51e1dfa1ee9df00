/**
 * A model whose weights exceed protobuf's 2 GB limit, laid out as hub exports must ship one
 * (`onnx/model.onnx` + `onnx/model.onnx_data`): the tiny-bert-external fixture with its word
 * embeddings padded to 2.2 GB of rows that no token id reaches (zeros, written as a sparse file, so
 * the disk holds little of them until onnxruntime saves its optimised copies). It goes through
 * surgery (which decodes the small protobuf only), onnxruntime's optimised save of both surgered
 * graphs (each with a data file of its own) and a whole extraction; every layer of the states graph
 * must still equal torch's reference of the fixture (3e-6), or the benchmark fails. Prints the time
 * and the process's peak resident memory after each step. Needs about 7 GB of free disk under
 * the temp folder (`TMPDIR`). Run alone: `npx tsx bench/large-model.ts`.
 */
import {fromBinary, toBinary} from "@bufbuild/protobuf";
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, appendFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {ModelProtoSchema, type TensorProto} from "onnx-buf";
import {envFrom} from "../loaders/config.js";
import {extractVectors} from "../loaders/extract/extract.js";
import {externalDataPath} from "../loaders/models/optimize.js";
import {LayerModel} from "../loaders/models/session.js";
import {exposeLayers, surgeredModelPath} from "../loaders/models/surgery.js";
import {report} from "./report.js";

const FIXTURE = resolve("tests/fixtures/models/tiny-bert-external");
const TABLE = "embeddings.word_embeddings.weight";
/** Bytes of the padded word-embedding table: past 2 GiB, so no protobuf could hold it. */
const TABLE_BYTES = 2.2e9;
/** onnxruntime maps external data whose offset is page-aligned; 64 KiB suits every platform. */
const ALIGN = 65536;
const TOLERANCE = 3e-6;

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const location = (tensor: TensorProto, key: string) => tensor.externalData.find((e) => e.key === key);

/** The fixture's folder with its word-embedding table padded with zero rows to TABLE_BYTES; returns the table's size. */
function paddedModel(dir: string): number {
  mkdirSync(join(dir, "onnx"));
  for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json"]) copyFileSync(join(FIXTURE, file), join(dir, file));
  const model = fromBinary(ModelProtoSchema, readFileSync(join(FIXTURE, "onnx/model.onnx")));
  const table = model.graph!.initializer.find((t) => t.name === TABLE)!;
  const [offset, length] = ["offset", "length"].map((key) => Number(location(table, key)!.value));
  const data = join(dir, "onnx/model.onnx_data");
  const original = readFileSync(join(FIXTURE, "onnx/model.onnx_data"));
  const start = Math.ceil(original.length / ALIGN) * ALIGN;
  // The real rows first, then zeros up to the padded size: a hole in the file, not written blocks.
  writeFileSync(data, original);
  truncateSync(data, start);
  appendFileSync(data, original.subarray(offset, offset + length));
  const rowBytes = Number(table.dims[1]) * 4;
  const rows = Math.ceil(TABLE_BYTES / rowBytes);
  truncateSync(data, start + rows * rowBytes);
  table.dims[0] = BigInt(rows);
  location(table, "offset")!.value = String(start);
  location(table, "length")!.value = String(rows * rowBytes);
  writeFileSync(join(dir, "onnx/model.onnx"), toBinary(ModelProtoSchema, model));
  return rows * rowBytes;
}

async function timed<T>(run: () => Promise<T> | T): Promise<[T, string]> {
  const start = performance.now();
  const value = await run();
  const seconds = (performance.now() - start) / 1000;
  return [value, `${seconds.toFixed(1)} s, peak resident memory ${gib(process.resourceUsage().maxRSS * 1024)}`];
}

/** Max |onnx - torch| over every layer of the fixture's reference cases. */
async function worstDifference(model: LayerModel): Promise<number> {
  const reference: {cases: {input_ids: number[]; hidden_states: number[][][]}[]} = JSON.parse(readFileSync(join(FIXTURE, "reference.json"), "utf8"));
  let worst = 0;
  for (const c of reference.cases) {
    const n = c.input_ids.length;
    const out = await model.run(BigInt64Array.from(c.input_ids, BigInt), new BigInt64Array(n).fill(1n), 1, n);
    out.layers.forEach((layer, i) => c.hidden_states[i].forEach((token, t) => token.forEach((v, d) => (worst = Math.max(worst, Math.abs(layer[t * out.hidden + d] - v))))));
  }
  return worst;
}

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "babelscope-large-"));
  try {
    const tableBytes = paddedModel(dir);
    const onnx = join(dir, "onnx/model.onnx");
    const [{taps}, surgery] = await timed(() => exposeLayers(readFileSync(onnx)));
    const [states, statesSaved] = await timed(() => surgeredModelPath(onnx, {numLayers: taps.numLayers}));
    const [model, opened] = await timed(() => LayerModel.load(states, {threads: 1}));
    const worst = await worstDifference(model);
    await model.dispose();
    if (!(worst < TOLERANCE)) throw new Error(`large model: layers differ from torch's reference by ${worst} (more than ${TOLERANCE})`);
    const env = envFrom({BABELSCOPE_CACHE: join(dir, "cache"), BABELSCOPE_STORES: join(dir, "stores")});
    const items = ["Hello world", "Le modèle lit chaque langue", "Модель читает каждый язык", "模型以同样的方式阅读"].map((text, i) => ({id: `t${i}`, unit: `u${i}`, lang: "mul", text}));
    const [extracted, extraction] = await timed(() => extractVectors(dir, items, {batchSize: 2, threads: 1}, env));
    report(`external data over 2 GB: tiny-bert-external, word embeddings padded to ${gib(tableBytes)}`, [
      ["graph protobuf", `${statSync(onnx).size.toLocaleString("en-US")} bytes; data file ${gib(statSync(join(dir, "onnx/model.onnx_data")).size)}`],
      ["surgery (protobuf only)", surgery],
      ["surgery + optimised save", `${statesSaved}; saved graph ${statSync(states.path).size.toLocaleString("en-US")} bytes, its data file ${gib(statSync(externalDataPath(states.path)).size)}`],
      ["open the states graph", opened],
      ["every layer vs torch", `max |difference| ${worst.toExponential(2)} (limit ${TOLERANCE.toExponential(0)})`],
      ["extraction (pooled graph)", `${extraction}; ${extracted.layers.length} hidden states of ${items.length} texts`]
    ]);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
