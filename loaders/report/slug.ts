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
    : isFolder(withoutRevision) ? withoutRevision.replace(/[\\/]+$/, "").split(/[\\/]/).pop()! : withoutRevision;
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "model";
}

function isFolder(ref: string): boolean {
  return ref.startsWith(".") || ref.startsWith("/") || ref.split("/").length > 2;
}
