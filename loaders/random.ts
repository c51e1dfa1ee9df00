/** A source of uniform numbers in [0, 1), like Math.random but seeded. */
export type Random = () => number;

/**
 * mulberry32: a small, fast seeded PRNG with a 32-bit state (Tommy Ettinger's constants).
 * Good enough for bootstrap resampling and shuffles; not for cryptography. Every random
 * choice in the analyses takes a `Random` built from a recorded seed, never Math.random.
 *
 * @example
 * const random = mulberry32(42);
 * random(); // 0.6011037519201636, and the same on every run
 */
export function mulberry32(seed: number): Random {
  if (!Number.isInteger(seed)) throw new Error(`mulberry32: seed must be an integer, got ${seed}`);
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/**
 * A seed for one named sub-stream (e.g. one language's bootstrap), mixed from the run's seed
 * and the name with FNV-1a, so a language's draws do not change when other languages are
 * added or removed.
 */
export function seedFor(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Fisher-Yates shuffle in place. */
export function shuffle<T>(values: T[], random: Random): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
}
