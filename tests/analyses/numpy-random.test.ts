import {describe, expect, it} from "vitest";
import {randomState} from "../../loaders/analyses/numpy-random.js";
import {protocolReference} from "./protocol-reference.js";

const {raw, shuffles} = protocolReference.randomState;

describe("randomState", () => {
  for (const c of raw) {
    it(`randomState(${c.seed}).nextUint32() gives numpy's RandomState(${c.seed}) raw MT19937 draws, across two state regenerations`, () => {
      const state = randomState(c.seed);
      const draws = Array.from({length: Math.max(...c.index) + 1}, () => state.nextUint32());
      expect(c.index.map((i) => draws[i])).toEqual(c.value);
    });
  }

  for (const c of shuffles) {
    it(`randomState(${c.seed}).shuffle shuffles arrays of ${c.lengths.join(", ")} in turn as numpy does`, () => {
      const state = randomState(c.seed);
      const permutations = c.lengths.map((n) => {
        const values = Array.from({length: n}, (_, i) => i);
        state.shuffle(values);
        return values;
      });
      expect(permutations).toEqual(c.permutations);
    });
  }

  it("randomState(seed).interval(max) stays within [0, max] and rejects a bad bound", () => {
    const state = randomState(3);
    for (let k = 0; k < 1000; k++) expect(state.interval(5)).toBeLessThanOrEqual(5);
    expect(state.interval(0)).toBe(0);
    expect(() => state.interval(-1)).toThrow("randomState.interval: max must be an integer in [0, 2^32), got -1");
  });

  it("randomState(seed) rejects a seed numpy would refuse", () => {
    expect(() => randomState(-1)).toThrow("randomState: seed must be an integer in [0, 2^32), got -1");
    expect(() => randomState(2 ** 32)).toThrow("randomState: seed must be an integer in [0, 2^32)");
  });
});
