import {fileURLToPath} from "node:url";

/** The repository's `data/` folder, wherever the process runs from. */
export const DATA_DIR = fileURLToPath(new URL("../../data/", import.meta.url));

export const DATA_FILES = {
  udhr: `${DATA_DIR}udhr/parallel.jsonl`,
  udhrCoverage: `${DATA_DIR}udhr/coverage.json`,
  questions: `${DATA_DIR}questions/questions.jsonl`,
  statements: `${DATA_DIR}questions/statements.jsonl`,
  fabricated: `${DATA_DIR}questions/fabricated.json`,
  falsePremise: `${DATA_DIR}questions/false-premise.jsonl`,
  surfaceProbe: `${DATA_DIR}questions/surface-probe.json`,
  languages: `${DATA_DIR}languages.json`,
  words: `${DATA_DIR}words/pairs.jsonl`,
  wordsMetadata: `${DATA_DIR}words/metadata.json`
} as const;
