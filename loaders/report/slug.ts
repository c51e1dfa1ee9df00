import {isAbsolute, relative, resolve, sep} from "node:path";

/**
 * URL-safe names of configured models, for the per-model pages (`/models/<slug>/...`).
 * `embedded:babelscope-tiny` -> `babelscope-tiny`; `Xenova/multilingual-e5-small` ->
 * `xenova-multilingual-e5-small`; a folder -> its last path segment. Dots become dashes (a dot in
 * a path reads as a file extension to the site builder). Repeated slugs get `-2`, `-3`, ...
 */
export function modelSlugs(refs: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return refs.map((ref) => {
    const base = slugOf(ref);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

function slugOf(ref: string): string {
  const withoutRevision = ref.replace(/@[^/@]*$/, "");
  const name = withoutRevision.startsWith("embedded:")
    ? withoutRevision.slice("embedded:".length)
    : isFolder(withoutRevision) ? slugSource(withoutRevision) : withoutRevision;
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "model";
}

/** A folder reference's last path segment. */
function slugSource(folder: string): string {
  return folder.replace(/[\\/]+$/, "").split(/[\\/]/).pop()!;
}

function isFolder(ref: string): boolean {
  return ref.startsWith(".") || ref.startsWith("/") || ref.split("/").length > 2;
}

/**
 * How the pages name a configured model: its reference, but a folder outside the project by its
 * last segment, so that no path of the machine that built the site reaches it (`root`: the
 * project folder, which relative folder references are read from).
 */
export function modelLabel(ref: string, root: string): string {
  if (!isFolder(ref)) return ref;
  const inside = relative(root, resolve(root, ref));
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside.split(sep).join("/") : slugSource(ref);
}
