// onnxruntime-web's WebAssembly binary, shipped with the site so the explorer runs models in the page without a CDN.
import {readFile} from "node:fs/promises";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

const dist = dirname(createRequire(import.meta.url).resolve("onnxruntime-web/wasm"));
process.stdout.write(await readFile(join(dist, "ort-wasm-simd-threaded.wasm")));
