/**
 * Validation of Babelscope language codes: an ISO 639-3 code (npm `iso-639-3`, SIL's code table),
 * optionally followed by `_variant` segments of letters and digits (`cmn_hans`, `deu_1996`).
 * Nothing is guessed: a two-letter or bibliographic code is rejected with the code to use instead.
 */
import {iso6393} from "iso-639-3";

const ISO3 = new Set(iso6393.map((l) => l.iso6393));
const FROM_1 = new Map(iso6393.filter((l) => l.iso6391).map((l) => [l.iso6391!, l.iso6393]));
const FROM_2B = new Map(iso6393.filter((l) => l.iso6392B).map((l) => [l.iso6392B!, l.iso6393]));

/** Why `code` is not a valid language code, or undefined when it is. */
export function langCodeProblem(code: string): string | undefined {
  const [base, ...variants] = code.split("_");
  const hint = FROM_1.get(base) ?? FROM_2B.get(base);
  if (!ISO3.has(base)) {
    return `unknown language code "${code}"` + (hint ? ` (ISO 639-3 for "${base}" is "${hint}")` : " (expected ISO 639-3, e.g. \"eng\" or \"cmn_hans\")");
  }
  if (variants.some((v) => !/^[A-Za-z0-9]+$/.test(v))) return `malformed variant in language code "${code}" (expected letters and digits after "_")`;
  return undefined;
}
