/**
 * How a page names and cites the dataset it was built from, from the dataset's own metadata
 * (src/data/datasets.json: a built-in's, or a user file's `<stem>.meta.json`).
 * @typedef {import("../loaders/datasets/info.js").DatasetInfo} DatasetInfo
 */

/**
 * "<name> (<citation>; licence: <licence>)", or the name and where a citation would come from.
 * @param {DatasetInfo} info
 * @returns {string}
 */
export function datasetCitation(info) {
  if (!info.citation) return `${info.name} (no citation given: a <name>.meta.json beside the dataset file supplies one)`;
  return `${info.name} (${info.citation}${info.licence ? `; licence: ${info.licence}` : ""})`;
}
