import {describe, expect, test} from "vitest";
import {languageCodes} from "../../components/language-codes.js";
import {plural} from "../../components/plural.js";

describe("plural", () => {
  test("one is singular; zero and many are plural; thousands are grouped", () => {
    expect(plural(1, "model")).toBe("1 model");
    expect(plural(0, "model")).toBe("0 models");
    expect(plural(2, "model")).toBe("2 models");
    expect(plural(12345, "item")).toBe("12,345 items");
    expect(plural(3, "family", "families")).toBe("3 families");
  });
});

describe("languageCodes", () => {
  test("splits typed codes into those the page has and those it does not, in typed order, once each", () => {
    expect(languageCodes(" fra, xxx ,eng,,fra, en", ["eng", "fra", "rus"])).toEqual({chosen: ["fra", "eng"], unknown: ["xxx", "en"]});
    expect(languageCodes("", ["eng"])).toEqual({chosen: [], unknown: []});
  });
});
