/** Parsing of options and their values shared by the commands; a bad value is a one-line usage error. */
import {parseArgs, type ParseArgsConfig} from "node:util";
import {DEVICES, type Device} from "../models/device.js";
import {UsageError} from "./usage.js";

/**
 * node's parseArgs, except that a negative number after an option that takes a value is that
 * value (`--max-length -5` reads as `--max-length=-5`): parseArgs would call it "ambiguous", while
 * the option's own check says what is wrong with it.
 */
export function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? [];
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") && !args[i].includes("=") ? args[i].slice(2) : undefined;
    if (name !== undefined && config.options?.[name]?.type === "string" && /^-\.?\d/.test(args[i + 1] ?? "")) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return parseArgs<T>({...config, args: joined});
}

/** An integer option of at least `min`, or undefined when absent. */
export function integerOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** `--device`: an execution provider name, or undefined when absent. */
export function deviceOption(value: string | undefined): Device | undefined {
  if (value === undefined) return undefined;
  if (!(DEVICES as readonly string[]).includes(value)) throw new UsageError(`--device must be one of ${DEVICES.join(", ")}, got "${value}"`);
  return value as Device;
}

/** A comma-separated list, blanks dropped: `eng, fra,,arb` -> [eng, fra, arb]. */
export function listOption(value: string): string[] {
  return value.split(",").map((entry) => entry.trim()).filter(Boolean);
}
