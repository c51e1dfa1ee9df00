// Loads protocol-reference.json, written by tests/fixtures/analyses/make_protocol_reference.py.
import {matrix} from "../../loaders/analyses/matrix.js";
import type {LabelledVectors} from "../../loaders/analyses/types.js";
import {probeReference} from "./probe-reference.js";

export interface ProtocolReference {
  randomState: {
    raw: {seed: number; index: number[]; value: number[]}[];
    shuffles: {seed: number; lengths: number[]; permutations: number[][]}[];
  };
  folds: {name: string; y: (number | string)[]; k: number; seed: number; fold: number[]}[];
  quantiles: {
    t: {p: number; df: number; q: number}[];
    tCdf: {t: number; df: number; p: number}[];
    normal: {p: number; q: number}[];
    tInterval: {values: number[]; confidence: number; estimate: number; low: number; high: number}[];
  };
  fixture: {unit: string[]; lang: string[]; label: number[]; entity: string[]; dims: number; layers: number[][]};
  paper: {
    units: string[];
    unitFold: number[];
    /** within[lang][layer] */
    within: Record<string, number[]>;
    /** transfer[method][layer][train][test], languages in fixture order */
    transfer: Record<"none" | "mean-shift" | "least-squares" | "least-squares-centered", number[][][]>;
  };
  lbfgsDefault: {fits: number; convergenceWarnings: number; largestGradient: number; withinLargestDifference: number};
}

export const protocolReference = probeReference<ProtocolReference>("protocol-reference.json");

/** The reference fixture as the probes' input. */
export function protocolFixture(): LabelledVectors & {entity: string[]} {
  const {unit, lang, label, entity, dims, layers} = protocolReference.fixture;
  return {
    layers: layers.map((flat) => matrix(Float32Array.from(flat), unit.length, dims)),
    unit,
    lang,
    label: Uint8Array.from(label),
    entity,
  };
}
