/**
 * Optimum's merged decoders (`decoder_model_merged.onnx`) hold a decoder twice, as the two branches
 * of one `If` on a bool graph input `use_cache_branch`: `then_branch` reads the past key/values,
 * `else_branch` is the first step without them; the weights they share are initializers of the main
 * graph. Every layer's nodes sit inside a branch, where tap finding does not look. Extraction runs one
 * step over the whole text with no past, so surgery inlines the no-cache branch into the main graph
 * (use_cache_branch = false, as transformers.js feeds it for a first step) and drops the inputs only
 * the `If` read (`use_cache_branch` and the past key/values): the result is the plain no-past export,
 * with the layer scopes (`/model/layers.N/...`) in the main graph.
 */
import {create} from "@bufbuild/protobuf";
import {NodeProtoSchema, type GraphProto} from "onnx-buf";
import {ModelError} from "./errors.js";
import {nodeReads} from "./surgery.js";

/** The bool input that chooses the branch of a merged decoder. */
const USE_CACHE_BRANCH = "use_cache_branch";

/**
 * Replaces the `If` on `use_cache_branch` by the nodes, initializers and value infos of its
 * `else_branch`, and removes the graph inputs that nothing reads any more. Returns whether the graph
 * was a merged decoder. Throws a one-line ModelError for an `If` without an `else_branch`.
 */
export function inlineNoCacheBranch(graph: GraphProto, source = "ONNX model"): boolean {
  const at = graph.node.findIndex((node) => node.opType === "If" && node.input[0] === USE_CACHE_BRANCH);
  if (at < 0) return false;
  const node = graph.node[at];
  const branch = node.attribute.find((a) => a.name === "else_branch")?.g;
  if (!branch) throw new ModelError("unsupported", source, `If node ${node.name || "(unnamed)"} on ${USE_CACHE_BRANCH} has no else_branch`);

  // A branch initializer named like a main-graph tensor shadows it inside the branch: it gets a new name.
  const taken = new Set([...graph.initializer.map((t) => t.name), ...graph.input.map((i) => i.name), ...graph.node.flatMap((n) => n.output)]);
  const renamed = new Map<string, string>();
  for (const tensor of branch.initializer) {
    if (!taken.has(tensor.name)) continue;
    let name = `${tensor.name}/no_past`;
    for (let i = 1; taken.has(name); i++) name = `${tensor.name}/no_past_${i}`;
    renamed.set(tensor.name, name);
    tensor.name = name;
  }
  for (const inner of branch.node) inner.input = inner.input.map((t) => renamed.get(t) ?? t);

  // The If's outputs are its branch's outputs by position; an Identity joins two that are named apart.
  const joins = node.output.flatMap((name, i) => {
    const inner = renamed.get(branch.output[i].name) ?? branch.output[i].name;
    return inner === name ? [] : [create(NodeProtoSchema, {name: `/babelscope/no_past/${name}`, opType: "Identity", input: [inner], output: [name]})];
  });

  const readByIf = new Set(nodeReads(node));
  graph.node.splice(at, 1, ...branch.node, ...joins);
  graph.initializer.push(...branch.initializer);
  graph.valueInfo.push(...branch.valueInfo);
  const stillRead = new Set(graph.node.flatMap(nodeReads));
  const outputs = new Set(graph.output.map((o) => o.name));
  graph.input = graph.input.filter((i) => !readByIf.has(i.name) || stillRead.has(i.name) || outputs.has(i.name));
  return true;
}
