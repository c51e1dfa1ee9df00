import {describe, expect, it} from "vitest";
import {DatasetError, parseDatasetFile} from "../../loaders/datasets/index.js";
import {csvRows, decodeUtf8} from "../../loaders/datasets/format.js";
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
    expect(errorOf(`${ok}\n{"id":"2","unit":"v","lang":"eng","text":"Yo"}\n\n{"id":"3","unit":"u","lang":"eng","text":"Hey"}`)).toBe(
      'data.jsonl:4: duplicate (lang, unit) ("eng", "u"), first at line 1'
    );
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

describe("parseDatasetFile (either format)", () => {
  it("a leading byte order mark is dropped in JSONL and in CSV: both give the same items", () => {
    const jsonl = parseDatasetFile(`\uFEFF${ok}`, "d.jsonl");
    expect(parseDatasetFile("\uFEFFid,unit,lang,text\n1,u,eng,Hi", "d.csv")).toEqual(jsonl);
    expect(jsonl).toEqual(parseDatasetFile(ok, "d.jsonl"));
  });

  it("the same unit in two languages, or two units in one language, is no duplicate", () => {
    const items = parseDatasetFile(`${ok}\n{"id":"2","unit":"u","lang":"fra","text":"Salut"}\n{"id":"3","unit":"v","lang":"eng","text":"Yo"}`, "d.jsonl");
    expect(items).toHaveLength(3);
  });

  it("a duplicate (lang, unit) in CSV names the line each record starts on", () => {
    expect(errorOf('id,unit,lang,text\n1,u,eng,"two\nlines"\n2,u,eng,Hi', "d.csv")).toBe('d.csv:4: duplicate (lang, unit) ("eng", "u"), first at line 2');
  });
});

describe("decodeUtf8", () => {
  const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p)] : p)));
  const decodeError = (data: Uint8Array): string => {
    try {
      decodeUtf8(data, "d.jsonl");
    } catch (e) {
      expect(e).toBeInstanceOf(DatasetError);
      return (e as Error).message;
    }
    throw new Error("expected a DatasetError");
  };

  it("decodeUtf8 keeps valid text, U+FFFD and a BOM as they are", () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "é\uFFFD\n"), "d.jsonl")).toBe("\uFEFFé\uFFFD\n");
  });

  it("decodeUtf8 rejects invalid UTF-8 with the line and the file offset where the bad sequence starts", () => {
    expect(decodeError(bytes("ab\nc", [0xff], "\n"))).toBe("d.jsonl:2: invalid UTF-8 (byte offset 4)");
    // A lead byte whose continuation is missing: the fault is the lead byte, not the "(" after it.
    expect(decodeError(bytes("a\nb\nc", [0xe2, 0x82], "("))).toBe("d.jsonl:3: invalid UTF-8 (byte offset 5)");
    // A sequence the end of the file cuts off.
    expect(decodeError(bytes("ab", [0xe2, 0x82]))).toBe("d.jsonl:1: invalid UTF-8 (byte offset 2)");
    // A lone continuation byte after a complete two-byte character.
    expect(decodeError(bytes("é", [0x80]))).toBe("d.jsonl:1: invalid UTF-8 (byte offset 2)");
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
