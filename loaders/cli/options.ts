/** Parsing of option values shared by the commands; a bad value is a one-line usage error. */
import {UsageError} from "./usage.js";

/** An integer option of at least `min`, or undefined when absent. */
export function integerOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** A comma-separated list, blanks dropped: `eng, fra,,arb` -> [eng, fra, arb]. */
export function listOption(value: string): string[] {
  return value.split(",").map((entry) => entry.trim()).filter(Boolean);
}
