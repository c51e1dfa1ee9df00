import {describe, expect, it} from "vitest";
import {fabricateNames, nameKey, transcribe, TRANSCRIBERS} from "../../loaders/datasets/fabricate.js";
import {QUESTION_LANGUAGES} from "../../loaders/datasets/question-languages.js";

const SCRIPTS = Object.keys(TRANSCRIBERS);

describe("transcribe", () => {
  it("transcribe(['ka','li','mo'], script) writes the same name in every script (hand-checked)", () => {
    const forms = Object.fromEntries(SCRIPTS.map((s) => [s, transcribe(["ka", "li", "mo"], s)]));
    expect(forms).toEqual({
      Latn: "Kalimo", Cyrl: "Калимо", Arab: "كاليمو", Deva: "कालिमो", Thai: "กาลีโม",
      Hang: "카리모", Jpan: "カリモ", Hans: "卡利莫"
    });
  });

  it("transcribe(syllables, unknown script) names the script and the known ones", () => {
    expect(() => transcribe(["ka"], "Grek")).toThrow('no transcription for script "Grek"; known: Latn, Cyrl');
  });

  it("every question language's script has a transcription", () => {
    for (const l of QUESTION_LANGUAGES) expect(TRANSCRIBERS[l.script], l.lang).toBeDefined();
  });
});

describe("nameKey", () => {
  it("nameKey(name) folds case, width and Latin accents but keeps marks of other scripts", () => {
    expect(nameKey("Bogotá")).toBe(nameKey("BOGOTA"));
    expect(nameKey("Ｔｏｋｙｏ")).toBe("tokyo");
    expect(nameKey("कालिमो")).not.toBe(nameKey("कलमो"));
  });
});

describe("fabricateNames", () => {
  it("fabricateNames(n, scripts, real, seed) is deterministic in the seed and avoids given real names", () => {
    const a = fabricateNames(20, SCRIPTS, new Set(), 7);
    expect(fabricateNames(20, SCRIPTS, new Set(), 7)).toEqual(a);
    expect(fabricateNames(20, SCRIPTS, new Set(), 8)).not.toEqual(a);
    const blocked = new Set([nameKey(a[0].forms.Hans)]);
    const b = fabricateNames(20, SCRIPTS, blocked, 7);
    expect(b.map((f) => f.forms.Latn)).not.toContain(a[0].forms.Latn);
    expect(new Set(b.map((f) => nameKey(f.forms.Latn))).size).toBe(20);
  });
});
