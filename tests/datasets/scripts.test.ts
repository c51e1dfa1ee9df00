import {describe, expect, it} from "vitest";
import {detectScript, scriptCounts, scriptDirection} from "../../loaders/datasets/scripts.js";

describe("detectScript", () => {
  it("detectScript(text) returns the ISO 15924 code of most letters", () => {
    expect(detectScript("Hello, world")).toBe("Latn");
    expect(detectScript("Привет, мир (hi)")).toBe("Cyrl");
    expect(detectScript("مرحبا بالعالم")).toBe("Arab");
    expect(detectScript("नमस्ते दुनिया")).toBe("Deva");
    expect(detectScript("สวัสดีชาวโลก")).toBe("Thai");
    expect(detectScript("안녕하세요")).toBe("Hang");
  });

  it("detectScript(text) calls Han with kana Japanese and otherwise uses the Han hint", () => {
    expect(detectScript("人人生而自由")).toBe("Hani");
    expect(detectScript("人人生而自由", "Hans")).toBe("Hans");
    expect(detectScript("すべての人間は、生まれながらにして自由")).toBe("Jpan");
  });

  it("detectScript(text) ignores punctuation, digits and combining marks; undefined without letters", () => {
    expect(detectScript("123 ... !?")).toBeUndefined();
    expect(scriptCounts("a1,b ʼ")).toEqual(new Map([["Latn", 2]]));
  });

  it("scriptDirection(script) is rtl for Arabic and Hebrew only among common scripts", () => {
    expect(scriptDirection("Arab")).toBe("rtl");
    expect(scriptDirection("Hebr")).toBe("rtl");
    expect(scriptDirection("Latn")).toBe("ltr");
    expect(scriptDirection("Hans")).toBe("ltr");
  });
});
