/**
 * Shared types of Babelscope: the contracts between datasets, extraction, the hidden-state
 * store, analyses, the CLI and the pages. Other modules import from here, never redefine.
 */

/** How one item's token vectors become one vector per layer. */
export type Pooling = "mean" | "last" | "first";
export const POOLINGS: readonly Pooling[] = ["mean", "last", "first"];

/** Text direction of a script. */
export type Direction = "ltr" | "rtl";

/**
 * One text to run through a model: a sentence, a paragraph or a question.
 * `unit` ties parallel items together across languages (unit k in every language is one meaning).
 */
export interface TextItem {
  /** Unique within a dataset. */
  id: string;
  /** Parallel-unit id: items with the same unit are translations of each other. */
  unit: string;
  /** Language: ISO 639-3 code, optionally with a variant after `_` (e.g. `cmn_hans`). */
  lang: string;
  text: string;
  /** ISO 15924 script code (e.g. `Latn`, `Arab`), when known. */
  script?: string;
  direction?: Direction;
  /** Class label for probes (e.g. `known` / `unknown`). */
  label?: string;
  /** Dataset split (e.g. `train` / `heldout`). */
  split?: string;
  /**
   * What the item is about (e.g. the country a question names): the knowledge probes' folds never
   * put one entity in both training and test rows, so a probe cannot score by recognising it.
   */
  entity?: string;
  /** The gold answer of a question about a real entity: a decoder's own answer is matched against it. */
  answer?: string;
}

/** A named, hashed list of items: what extraction consumes. */
export interface Dataset {
  name: string;
  /** sha256 (hex) of the canonical item list; part of every store's identity. */
  hash: string;
  items: TextItem[];
}

/** Architecture family, as far as extraction cares. */
export type ModelKind = "encoder" | "decoder";
