/*
 * numpy's legacy `np.random.RandomState(seed)`, as far as scikit-learn's
 * `StratifiedKFold(shuffle=True, random_state=seed)` uses it: the MT19937 generator seeded from
 * one integer, and `shuffle` of a 1-d array. Reproducing it is what lets the "paper" probe
 * protocol use exactly the folds of the paper's released code (scikit-learn with
 * random_state=42); tests/fixtures/analyses/make_protocol_reference.py checks the draws,
 * shuffles and folds against Debian's numpy and scikit-learn.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The MT19937 state and the two draws numpy's legacy shuffle is built from. */
export interface RandomState {
  /** The next tempered 32-bit output (numpy's `next_uint32`). */
  nextUint32(): number;
  /** A uniform integer in [0, max] inclusive (numpy's `random_interval`). */
  interval(max: number): number;
  /** Shuffles `values` in place as `RandomState.shuffle` shuffles a 1-d array. */
  shuffle<T>(values: T[]): void;
}

/**
 * `np.random.RandomState(seed)` for an integer seed in [0, 2^32): numpy seeds MT19937 with the
 * reference `init_genrand` (mt[i] = 1812433253 (mt[i-1] ^ (mt[i-1] >> 30)) + i), not with
 * `init_by_array`, when the seed is a single integer.
 *
 * @example
 * randomState(42).nextUint32(); // 1608637542, as np.random.RandomState(42)._bit_generator.random_raw()
 */
export function randomState(seed: number): RandomState {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`randomState: seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const mt = new Uint32Array(N);
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = (Math.imul(1812433253, previous) + i) >>> 0;
  }
  let position = N;

  function twist(): void {
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % N] & LOWER_MASK);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    position = 0;
  }

  function nextUint32(): number {
    if (position >= N) twist();
    let y = mt[position++];
    // Tempering.
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Rejection sampling under the smallest all-ones mask >= max: draws are masked and redrawn
   * while above max, so the result is exactly uniform. Only 32-bit bounds occur here (array
   * lengths), which numpy also draws with next_uint32.
   */
  function interval(max: number): number {
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) {
      throw new Error(`randomState.interval: max must be an integer in [0, 2^32), got ${max}`);
    }
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** Fisher-Yates from the last position down, swapping with a draw in [0, i], as numpy's `_shuffle_raw`. */
  function shuffle<T>(values: T[]): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = interval(i);
      [values[i], values[j]] = [values[j], values[i]];
    }
  }

  return {nextUint32, interval, shuffle};
}
