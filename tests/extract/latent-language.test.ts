import {cpSync} from "node:fs";
import {join, resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {promptLanguages, translationPrompts, translationWords} from "../../loaders/datasets/translation-words.js";
import {latentLanguage, nextTokenId} from "../../loaders/extract/latent-language.js";
import {loadTokenizer} from "../../loaders/extract/tokenize.js";
import {resolveModel, type ResolvedModel} from "../../loaders/models/resolve.js";
import {tempDir} from "../helpers/tmp.js";

/** A copy of a model folder, so that the cached lens graph is not written into the repository. */
async function copiedModel(dir: string): Promise<ResolvedModel> {
  const copy = join(tempDir("latent"), "model");
  cpSync(dir, copy, {recursive: true, filter: (path) => !/\.(lens|layers|pooled)-v/.test(path)});
  return resolveModel(copy, envFrom());
}

const LANGS = ["eng", "fra", "rus", "cmn_hans"];
const OPTIONS = {budget: 24, shots: 4, seed: 0, threads: 1};

describe("latentLanguage on the embedded model", () => {
  it("reads every prompt it keeps, counts the ones it leaves out, and reports masses that are probabilities", async () => {
    const result = await latentLanguage(await copiedModel(resolve("models/babelscope-tiny")), LANGS, OPTIONS);
    if (typeof result === "string") throw new Error(result);
    const langs = promptLanguages(LANGS);
    const all = translationPrompts(langs, translationWords(langs), OPTIONS);
    expect(result.prompts + result.left.sameFirstToken + result.left.boundary).toBe(all.length);
    expect(result.targets.map((t) => t.lang).sort()).toEqual(["cmn_hans", "fra", "rus"]);
    expect(result.targets.reduce((n, t) => n + t.prompts, 0)).toBe(result.prompts);
    expect(result.vocabulary).toBe(8192);
    expect(result.scripts).toEqual(["Latn", "Cyrl", "Hani"]);
    for (const target of result.targets) {
      expect(target.layers).toHaveLength(5);
      for (const layer of target.layers) {
        const languages = Object.values(layer.languages).reduce((a, b) => a + b, 0);
        const scripts = Object.values(layer.scripts).reduce((a, b) => a + b, 0);
        // Language groups are disjoint (unambiguous prefixes), as are scripts.
        expect(languages).toBeLessThanOrEqual(1 + 1e-9);
        expect(scripts).toBeLessThanOrEqual(1 + 1e-9);
        expect(layer.target).toBeGreaterThan(0);
        expect(layer.medianRank).toBeGreaterThanOrEqual(1);
        expect(layer.medianRank).toBeLessThanOrEqual(8192);
      }
    }
  });

  it("the answer's token is the first token of the answer after the prompt", async () => {
    const tokenizer = await loadTokenizer(resolve("models/babelscope-tiny"));
    const prompt = 'français: "Allemagne" - русский: "Германия"\nfrançais: "France" - русский: "';
    const ids = tokenizer.encode(prompt) as number[];
    const id = nextTokenId(tokenizer, ids, `${prompt}Франция`)!;
    const piece = tokenizer.decode([id]);
    expect(piece.length).toBeGreaterThan(0);
    expect("Франция".startsWith(piece)).toBe(true);
    // A continuation that changes the prompt's own tokens has no next token of its own.
    expect(nextTokenId(tokenizer, ids, prompt.slice(0, -1))).toBeUndefined();
  });

  it("an encoder has no output head: one line naming the model", async () => {
    await expect(latentLanguage(await copiedModel(resolve("tests/fixtures/models/tiny-bert")), LANGS, OPTIONS)).rejects.toThrow("no logit lens: an encoder has no output head");
  });

  it("too few non-English languages: says why, without loading the model", async () => {
    const model = {onnxPath: "/nonexistent.onnx"} as ResolvedModel;
    expect(await latentLanguage(model, ["eng", "fra", "deu_x"], OPTIONS)).toMatch(/^translation prompts need two non-English languages with CLDR names among eng, fra, deu_x \(have fra\)/);
  });
});
