/**
 * A count and its noun, singular for one: "1 model", "2 models". Shared by the pages and the
 * command line's summaries.
 * @param {number} count
 * @param {string} one the singular noun
 * @param {string} [many] the plural noun (default: the singular with an "s")
 * @returns {string}
 */
export function plural(count, one, many = `${one}s`) {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}
