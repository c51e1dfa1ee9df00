import {describe, expect, test} from "vitest";
import {modelLabel, modelSlugs} from "../../loaders/report/slug.js";

describe("modelSlugs", () => {
  test("modelSlugs names embedded models, hub ids and folders for URLs", () => {
    expect(modelSlugs([
      "embedded:babelscope-tiny", "Xenova/multilingual-e5-small", "onnx-community/Qwen2.5-0.5B-Instruct@main",
      "tests/fixtures/models/tiny-llama", "./my models/Encoder/"
    ])).toEqual(["babelscope-tiny", "xenova-multilingual-e5-small", "onnx-community-qwen2-5-0-5b-instruct", "tiny-llama", "encoder"]);
  });

  test("modelSlugs numbers repeated slugs in config order", () => {
    expect(modelSlugs(["a/tiny-llama", "tests/fixtures/models/tiny-llama", "/x/y/Tiny.Llama"])).toEqual(["a-tiny-llama", "tiny-llama", "tiny-llama-2"]);
  });
});

describe("modelLabel", () => {
  test("a hub or embedded reference is itself; a folder is named relative to the project, or by its last segment outside it", () => {
    expect(modelLabel("Xenova/multilingual-e5-small@main", "/home/u/project")).toBe("Xenova/multilingual-e5-small@main");
    expect(modelLabel("embedded:babelscope-tiny", "/home/u/project")).toBe("embedded:babelscope-tiny");
    expect(modelLabel("./models/mine", "/home/u/project")).toBe("models/mine");
    expect(modelLabel("/home/u/project/models/mine", "/home/u/project")).toBe("models/mine");
    expect(modelLabel("/data/exports/my-model/", "/home/u/project")).toBe("my-model");
    expect(modelLabel("../elsewhere/my-model", "/home/u/project")).toBe("my-model");
  });
});
