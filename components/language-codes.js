/**
 * The language codes typed in a page's language box (commas between them), split into those the
 * page has and those it does not, so the page can say which codes it ignored.
 * @param {string} text what was typed
 * @param {Iterable<string>} known the codes the page has
 * @returns {{chosen: string[], unknown: string[]}} each in typed order, without repeats
 */
export function languageCodes(text, known) {
  const have = new Set(known);
  const typed = [...new Set(text.split(",").map((code) => code.trim()).filter(Boolean))];
  return {chosen: typed.filter((code) => have.has(code)), unknown: typed.filter((code) => !have.has(code))};
}
