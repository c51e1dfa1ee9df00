/**
 * A deterministic synthetic projection for the explorer's 50,000-point benchmark and browser test:
 * 50 "languages" (5 families, 3 scripts including right-to-left Arabic) as Gaussian clusters that
 * start apart at layer 0 and drift towards shared "meaning" clusters at the last layer, like a
 * model whose middle layers become language-neutral. No model involved; the numbers mean nothing.
 */
import {mulberry32} from "../random.js";
import type {PointInfo} from "./page-data.js";
import {encodeProjectionTable} from "./projection-table.js";

const FAMILIES = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"];
const SCRIPTS = [{script: "Latn", direction: "ltr"}, {script: "Cyrl", direction: "ltr"}, {script: "Arab", direction: "rtl"}];
const LANGUAGES = 50;
const MEANINGS = 12;

export function syntheticProjection({points = 50_000, layers = 5, seed = 1} = {}): Uint8Array {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const languageCentres = Array.from({length: LANGUAGES}, () => [gaussian() * 6, gaussian() * 6]);
  const meaningCentres = Array.from({length: MEANINGS}, () => [gaussian() * 6, gaussian() * 6]);
  const info: PointInfo[] = [];
  const xs = Array.from({length: layers}, () => new Array<number>(points));
  const ys = Array.from({length: layers}, () => new Array<number>(points));
  for (let i = 0; i < points; i++) {
    const language = i % LANGUAGES;
    const meaning = Math.floor(random() * MEANINGS);
    const {script, direction} = SCRIPTS[language % SCRIPTS.length];
    const lang = `x${String(language).padStart(2, "0")}`;
    const text = direction === "rtl" ? `نقطة ${i} من اللغة ${lang}` : script === "Cyrl" ? `Точка ${i} языка ${lang}` : `Point ${i} of language ${lang}`;
    info.push({id: `synthetic:${i}`, lang, language: `Language ${lang}`, family: FAMILIES[language % FAMILIES.length], script, direction, text, label: `meaning ${meaning}`});
    const noise = [gaussian(), gaussian()];
    for (let l = 0; l < layers; l++) {
      const t = layers === 1 ? 0 : l / (layers - 1);
      const [lx, ly] = languageCentres[language];
      const [mx, my] = meaningCentres[meaning];
      xs[l][i] = (1 - t) * lx + t * mx + noise[0] * 0.8;
      ys[l][i] = (1 - t) * ly + t * my + noise[1] * 0.8;
    }
  }
  const layerList = Array.from({length: layers}, (_, l) => l);
  const settings = {projection: "pca" as const, coordinates: "independent" as const, layers: layerList, umap: null};
  return encodeProjectionTable(info, [{settings, layers: layerList.map((layer) => ({layer, x: xs[layer], y: ys[layer], explainedVarianceRatio: null}))}], {
    model: "synthetic", slug: "synthetic", status: "analysed", dataset: `synthetic (${points} points, seed ${seed})`, layers: layerList,
    projections: [{method: "pca", settings, explained: layerList.map(() => null)}]
  });
}
