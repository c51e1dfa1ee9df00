import {describe, expect, test} from "vitest";
import {truncationNote} from "../../loaders/store/truncation.js";

describe("truncationNote", () => {
  test("counts the cut items against all, with the cap, in the right number", () => {
    expect(truncationNote({counts: {items: 609, truncated: 20, languages: 24, hidden_states: 5, tokens: 1}, settings: {pooling: "mean", max_length: 256}}))
      .toBe("20 items of 609 were longer than 256 tokens and cut there: their vectors read only the first 256 tokens");
    expect(truncationNote({counts: {items: 1200, truncated: 1, languages: 2, hidden_states: 5, tokens: 1}, settings: {pooling: "last", max_length: 32}}))
      .toMatch(/^1 item of 1,200 was longer than 32 tokens/);
  });
});
