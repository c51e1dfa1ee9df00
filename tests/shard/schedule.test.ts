/** Which batches a shard computes: the unsharded run's batches, dealt out balanced by padded tokens. */
import {describe, expect, it} from "vitest";
import {chunkRows} from "../../loaders/extract/to-store.js";
import {batches} from "../../loaders/extract/tokenize.js";
import {assignBatches, schedule, shardBatches} from "../../loaders/shard/schedule.js";
import {parseShard} from "../../loaders/cli/shard.js";
import {mulberry32} from "../../loaders/random.js";

/** Token ids of `n` items of 1..60 tokens, in a scrambled order. */
function items(n: number, seed = 1): number[][] {
  const random = mulberry32(seed);
  return Array.from({length: n}, () => Array.from({length: 1 + Math.floor(random() * 60)}, () => 7));
}

describe("schedule", () => {
  it("is the batches an unsharded extraction runs: each chunk of the length order cut into batches", () => {
    const ids = items(300);
    for (const [chunk, batchSize] of [[256, 32], [20, 7], [16, 8], [5, 32]]) {
      const unsharded = [...chunkRows(ids, chunk).values()].flatMap((rows) => batches(ids, rows, batchSize, 0));
      const scheduled = schedule(ids, chunk, batchSize);
      expect(scheduled.map((b) => b.rows)).toEqual(unsharded.map((b) => b.rows));
      expect(scheduled.map((b) => b.cost)).toEqual(unsharded.map((b) => b.rows.length * b.seqLen));
    }
  });
});

describe("assignBatches", () => {
  it("gives the costliest batch first to the least loaded shard (a case worked by hand)", () => {
    // 10 -> 0; 9 -> 1; 8 -> 1 (9 < 10); then the 1s -> 0 (10, 11, 12 < 17).
    expect(assignBatches([10, 9, 8, 1, 1, 1], 2)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(assignBatches([5, 5, 5], 3)).toEqual([0, 1, 2]);
    expect(assignBatches([3, 2], 4)).toEqual([0, 1]);
  });

  it("splits every batch once, and no shard's load is more than one batch above another's", () => {
    const ids = items(1000, 7);
    const scheduled = schedule(ids, 256, 32);
    for (const count of [1, 2, 3, 5, 8]) {
      const shards = Array.from({length: count}, (_, index) => shardBatches(scheduled, {index, count}));
      expect(shards.flatMap((s) => s.flatMap((b) => b.rows)).sort((a, b) => a - b)).toEqual(ids.map((_, i) => i));
      const loads = shards.map((s) => s.reduce((sum, b) => sum + b.cost, 0));
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(...scheduled.map((b) => b.cost)));
    }
  });
});

describe("--shard i/n", () => {
  it("is 0-based, as Slurm's and Kubernetes' task indexes are", () => {
    expect(parseShard("0/4")).toEqual({index: 0, count: 4});
    expect(parseShard("3/4")).toEqual({index: 3, count: 4});
    for (const bad of ["4/4", "1/0", "-1/4", "1", "a/b", "1/4/2"]) expect(() => parseShard(bad)).toThrow(`--shard must be i/n with 0 <= i < n (e.g. 0/4), got "${bad}"`);
  });
});
