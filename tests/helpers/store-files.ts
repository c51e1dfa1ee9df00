/** A store's content as tests compare it. */
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";

/**
 * A store folder's files by name (base64); the manifest without its creation time, the one field
 * two runs that compute the same store write differently.
 */
export function storeFiles(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => {
    const bytes = readFileSync(join(dir, name));
    if (name !== "manifest.json") return [name, bytes.toString("base64")];
    const {created: _created, ...manifest} = JSON.parse(bytes.toString());
    return [name, JSON.stringify(manifest)];
  }));
}
