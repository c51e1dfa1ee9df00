/**
 * Which items a shard of an extraction computes. A vector depends on the batch its item ran in
 * (its companions and padded length change the float rounding), so a shard computes whole batches
 * of the unsharded run: the batches that run forms (chunks cut from the length order, each cut
 * into batches of its own length order), dealt out to the shards. Every item then runs in the same
 * batch as it would on one machine, and the merged store is that machine's store byte for byte.
 */
import {chunkRows} from "../extract/to-store.js";
import {lengthOrder} from "../extract/tokenize.js";
import type {Shard} from "./layout.js";

/** One batch of the unsharded run: its rows (in the order it runs them) and its padded tokens. */
export interface ScheduledBatch {
  rows: number[];
  /** Rows x the longest row's tokens: what onnxruntime computes, padding included. */
  cost: number;
}

/** The batches an unsharded extraction with these chunk and batch sizes runs, in its order. */
export function schedule(ids: number[][], chunkItems: number, batchSize: number): ScheduledBatch[] {
  const out: ScheduledBatch[] = [];
  for (const chunk of chunkRows(ids, chunkItems).values()) {
    const sorted = lengthOrder(ids, chunk);
    for (let start = 0; start < sorted.length; start += batchSize) {
      const rows = sorted.slice(start, start + batchSize);
      out.push({rows, cost: rows.length * ids[rows[0]].length});
    }
  }
  return out;
}

/**
 * The shard of each batch, balanced by cost: the costliest batch first, each to the shard with the
 * least cost so far (the lowest index on a tie). Items would balance badly: the first batches hold
 * the longest items, and a batch's time follows its padded tokens.
 */
export function assignBatches(costs: readonly number[], count: number): number[] {
  const load = new Array<number>(count).fill(0);
  const shardOf = new Array<number>(costs.length);
  const order = costs.map((_, b) => b).sort((a, b) => costs[b] - costs[a] || a - b);
  for (const b of order) {
    let least = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[least]) least = s;
    shardOf[b] = least;
    load[least] += costs[b];
  }
  return shardOf;
}

/** The batches shard `shard` computes, in the unsharded run's order. */
export function shardBatches(batches: readonly ScheduledBatch[], shard: Shard): ScheduledBatch[] {
  const shardOf = assignBatches(batches.map((batch) => batch.cost), shard.count);
  return batches.filter((_, b) => shardOf[b] === shard.index);
}
