/**
 * The explorer's data: every item of a store with its 2-D position at every layer, by PCA and by
 * UMAP, as one Arrow IPC file (Float32 columns; about 8 bytes per item per layer and method), so
 * the page loads 10^4-10^5 points without parsing JSON.
 *
 * Columns: id, lang, language (English name), family, script, direction, text, label, then
 * `<method>_<layer>_x` / `<method>_<layer>_y`, and `nn_<layer>` (fixed-size lists of int8: the
 * neighbour space of neighbour-space.ts). The schema metadata key `babelscope` holds a JSON
 * `ProjectionMeta` (page-data.ts: what was projected and how, or why the model was skipped or failed).
 */
import {Field, FixedSizeList, Float32, Int8, makeData, makeVector, Table, Utf8, vectorFromArray, tableToIPC, type Vector} from "apache-arrow";
import {languages} from "../datasets/index.js";
import type {Unavailable} from "../pipeline/model-pages.js";
import type {StoredItem} from "../store/arrow.js";
import type {Manifest} from "../store/store.js";
import type {ProjectFileResult} from "./analyze.js";
import type {PointInfo, ProjectionMeta} from "./page-data.js";
import type {neighbourSpace} from "./neighbour-space.js";

/** Per layer, the int8 neighbour space (rows x dimensions). */
export interface NeighbourColumns {
  dimensions: number;
  layers: {layer: number; data: Int8Array}[];
}

/** Per layer, the layer's neighbour space (see neighbour-space.ts). */
export type NeighbourSpaces = ({layer: number} & ReturnType<typeof neighbourSpace>)[];

/** The explorer's table of an analysed store: its items, its projections (UMAP and PCA, in PROJECTIONS order) and each projected layer's neighbour space. */
export function storeProjectionTable(
  model: string, slug: string, manifest: Manifest, items: readonly StoredItem[], results: ProjectFileResult[], spaces: NeighbourSpaces
): Uint8Array {
  const neighbours = {dimensions: spaces[0].dimensions, layers: spaces};
  return encodeProjectionTable(pointInfo(items), results, {
    model,
    slug,
    status: "analysed",
    dataset: manifest.dataset.name,
    store: manifest.hash,
    layers: spaces.map((space) => space.layer),
    projections: results.map((r) => ({method: r.settings.projection, settings: r.settings, explained: r.layers.map((l) => l.explainedVarianceRatio)})),
    neighbourDimensions: neighbours.dimensions
  }, neighbours);
}

/** The explorer's table of a model without results: no points, and why. */
export function unavailableProjectionTable(slug: string, {model, status, reason}: Unavailable): Uint8Array {
  return encodeProjectionTable([], [], {model, slug, status, reason, layers: [], projections: []});
}

/** Language name and family from the shipped metadata; UDHR paragraphs are labelled by article. */
export function pointInfo(items: readonly StoredItem[]): PointInfo[] {
  const byCode = new Map(languages().map((info) => [info.code, info]));
  return items.map((item) => {
    const info = byCode.get(item.lang);
    return {
      id: item.id,
      lang: item.lang,
      language: info?.name ?? item.lang,
      family: info?.family ?? "unknown",
      script: item.script ?? "unknown",
      direction: item.direction ?? "ltr",
      text: item.text,
      label: item.label ?? articleOf(item.unit)
    };
  });
}

/** `udhr:a21.p1` -> `article 21`; other units have no label. */
function articleOf(unit: string): string {
  const match = /^udhr:a(\d+)/.exec(unit);
  return match ? `article ${match[1]}` : "none";
}

function projectionColumn(method: string, layer: number, axis: "x" | "y"): string {
  return `${method}_${layer}_${axis}`;
}

export function encodeProjectionTable(
  points: readonly PointInfo[], projections: readonly Pick<ProjectFileResult, "settings" | "layers">[], meta: ProjectionMeta,
  neighbours?: NeighbourColumns
): Uint8Array {
  // Plain Utf8 columns, not dictionaries: arrow's dictionary ids come from a process-wide counter,
  // which would make the same data encode to different bytes.
  const columns: Record<string, Vector> = {};
  for (const key of ["id", "lang", "language", "family", "script", "direction", "text", "label"] as const) {
    columns[key] = vectorFromArray(points.map((p) => p[key]), new Utf8());
  }
  for (const {settings, layers} of projections) {
    for (const {layer, x, y} of layers) {
      if (x.length !== points.length || y.length !== points.length) {
        throw new Error(`${settings.projection} layer ${layer}: ${x.length} positions for ${points.length} points`);
      }
      columns[projectionColumn(settings.projection, layer, "x")] = vectorFromArray(x, new Float32());
      columns[projectionColumn(settings.projection, layer, "y")] = vectorFromArray(y, new Float32());
    }
  }
  for (const {layer, data} of neighbours?.layers ?? []) {
    if (data.length !== points.length * neighbours!.dimensions) throw new Error(`neighbour space of layer ${layer}: ${data.length} values for ${points.length} points`);
    columns[`nn_${layer}`] = int8Rows(data, neighbours!.dimensions);
  }
  const table = new Table(columns);
  table.schema.metadata.set("babelscope", JSON.stringify(meta));
  return tableToIPC(table, "file");
}

function int8Rows(data: Int8Array, dimensions: number): Vector {
  const child = makeData({type: new Int8(), length: data.length, data});
  const type = new FixedSizeList(dimensions, new Field("pc", new Int8(), false));
  return makeVector(makeData({type, length: data.length / dimensions, nullCount: 0, child}));
}
