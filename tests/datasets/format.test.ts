import {describe, expect, it} from "vitest";
import {DatasetError, parseDatasetFile} from "../../loaders/datasets/index.js";
import {csvRows} from "../../loaders/datasets/format.js";
import {langCodeProblem} from "../../loaders/datasets/lang-codes.js";

const ok = '{"id":"1","unit":"u","lang":"eng","text":"Hi"}';
const errorOf = (content: string, file = "data.jsonl"): string => {
  try {
    parseDatasetFile(content, file);
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as Error).message;
  }
  throw new Error("expected a DatasetError");
};

describe("parseDatasetFile (JSONL)", () => {
  it("parseDatasetFile(jsonl) keeps extra fields and fills script and direction from the text", () => {
    const [item] = parseDatasetFile('{"id":"1","unit":"u","lang":"arb","text":"مرحبا","note":7}', "x.jsonl");
    expect(item).toEqual({id: "1", unit: "u", lang: "arb", text: "مرحبا", note: 7, script: "Arab", direction: "rtl"});
  });

  it("malformed JSONL files get errors naming file, line and field", () => {
    expect(errorOf(`${ok}\n{"id":"2","unit":"u","lang":"xx1","text":"Hi"}`)).toBe(
      'data.jsonl:2: field "lang": unknown language code "xx1" (expected ISO 639-3, e.g. "eng" or "cmn_hans")'
    );
    expect(errorOf(`${ok}\n\n{"id":"2","unit":"u","lang":"en","text":"Hi"}`)).toBe(
      'data.jsonl:3: field "lang": unknown language code "en" (ISO 639-3 for "en" is "eng")'
    );
    expect(errorOf(`${ok}\n{"id":"2","unit":"u","lang":"eng"}`)).toBe('data.jsonl:2: field "text": missing');
    expect(errorOf(`{"id":3,"unit":"u","lang":"eng","text":"Hi"}`)).toBe('data.jsonl:1: field "id": expected a string, got 3');
    expect(errorOf(`{"id":"1","unit":" ","lang":"eng","text":"Hi"}`)).toBe('data.jsonl:1: field "unit": empty');
    expect(errorOf(`${ok}\n${ok}`)).toBe('data.jsonl:2: field "id": duplicate id "1" (first on line 1)');
    expect(errorOf(`${ok}\n{"id":"2",`)).toMatch(/^data\.jsonl:2: invalid JSON \(/);
    expect(errorOf(`[1,2]`)).toBe("data.jsonl:1: expected a JSON object");
    expect(errorOf(`{"id":"1","unit":"u","lang":"eng","text":"Hi","direction":"up"}`)).toBe(
      'data.jsonl:1: field "direction": "up" is not "ltr" or "rtl"'
    );
    expect(errorOf(`{"id":"1","unit":"u","lang":"eng","text":"Hi","script":"latin"}`)).toBe(
      'data.jsonl:1: field "script": "latin" is not an ISO 15924 code (e.g. "Latn", "Arab")'
    );
    expect(errorOf(`{"id":"1","unit":"u","lang":"eng","text":"Hi","label":1}`)).toBe('data.jsonl:1: field "label": expected a string, got 1');
    expect(errorOf("\n\n")).toBe("data.jsonl: no items");
    expect(errorOf(ok, "data.txt")).toBe('data.txt: unsupported file type ".txt" (expected .jsonl or .csv)');
  });
});

describe("parseDatasetFile (CSV)", () => {
  it("csvRows(text) handles quotes, doubled quotes, CRLF and newlines inside quotes, with start lines", () => {
    const rows = csvRows('a,b\r\n"x, ""y""","two\nlines"\r\nz,w\n', "f.csv");
    expect(rows).toEqual([
      {line: 1, cells: ["a", "b"]},
      {line: 2, cells: ['x, "y"', "two\nlines"]},
      {line: 4, cells: ["z", "w"]}
    ]);
  });

  it("malformed CSV files get errors naming file and line (and field)", () => {
    const header = "id,unit,lang,text";
    expect(errorOf("id,unit,text\n1,u,Hi", "d.csv")).toBe('d.csv:1: missing column "lang" in the header (have: id, unit, text)');
    expect(errorOf(`${header}\n1,u,eng,Hi\n2,u,eng`, "d.csv")).toBe("d.csv:3: expected 4 fields, found 3");
    expect(errorOf(`${header}\n1,u,eng,"a\nb"\n2,u,fr,Salut`, "d.csv")).toBe(
      'd.csv:4: field "lang": unknown language code "fr" (ISO 639-3 for "fr" is "fra")'
    );
    expect(errorOf(`${header}\n1,u,eng,"open`, "d.csv")).toBe("d.csv:2: unterminated quoted field");
    expect(errorOf(`${header}\n1,u,eng,"a"b`, "d.csv")).toBe("d.csv:2: unexpected character after a closing quote");
  });

  it("empty optional CSV cells are absent, not empty strings", () => {
    const [item] = parseDatasetFile("id,unit,lang,text,label,split\n1,u,eng,Hi,,", "d.csv");
    expect(item.label).toBeUndefined();
    expect(item.split).toBeUndefined();
  });
});

describe("langCodeProblem", () => {
  it("langCodeProblem(code) accepts ISO 639-3 with variants and rejects everything else", () => {
    expect(langCodeProblem("eng")).toBeUndefined();
    expect(langCodeProblem("cmn_hans")).toBeUndefined();
    expect(langCodeProblem("deu_1996")).toBeUndefined();
    expect(langCodeProblem("ger")).toBe('unknown language code "ger" (ISO 639-3 for "ger" is "deu")');
    expect(langCodeProblem("eng_")).toBe('malformed variant in language code "eng_" (expected letters and digits after "_")');
  });
});
