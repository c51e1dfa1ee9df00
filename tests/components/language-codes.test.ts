import {describe, expect, test} from "vitest";
import {languageCodes} from "../../components/language-codes.js";

describe("languageCodes", () => {
  test("splits typed codes into those the page has and those it does not, in typed order, once each", () => {
    expect(languageCodes(" fra, xxx ,eng,,fra, en", ["eng", "fra", "rus"])).toEqual({chosen: ["fra", "eng"], unknown: ["xxx", "en"]});
    expect(languageCodes("", ["eng"])).toEqual({chosen: [], unknown: []});
  });
});
