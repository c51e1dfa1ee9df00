import {describe, expect, it} from "vitest";
import {parseOptions} from "../../loaders/cli/options.js";

const options = {"max-length": {type: "string"}, verbose: {type: "boolean"}} as const;

describe("parseOptions", () => {
  it("reads a negative number after an option that takes a value as its value", () => {
    expect(parseOptions({args: ["--max-length", "-5"], options, strict: true}).values).toEqual({"max-length": "-5"});
    expect(parseOptions({args: ["--max-length", "-.5", "--verbose"], options, strict: true}).values).toEqual({"max-length": "-.5", verbose: true});
  });

  it("leaves everything else to parseArgs: a flag after a boolean option, an unknown option", () => {
    expect(() => parseOptions({args: ["--verbose", "-5"], options, strict: true})).toThrow(/Unknown option '-5'/);
    expect(() => parseOptions({args: ["--max-length", "-x"], options, strict: true})).toThrow(/ambiguous/);
  });
});
