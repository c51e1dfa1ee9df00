/**
 * Language family from Unicode CLDR's `languageGroups` (a containment tree over ISO 639-5 group codes,
 * rooted at `mul`). A language's family is the group directly under the root, except that CLDR's
 * `tut` (Altaic, a contested grouping) is resolved to its member family (Turkic, Mongolic, Tungusic).
 * Some widely spoken languages are missing from CLDR's tree; PLACEMENTS puts each under its ISO 639-5
 * group (the group the language's macrolanguage or closest relatives sit in, in that same tree).
 */
import {languageGroups} from "./cldr.js";

/** English names of the ISO 639-5 groups that can be a family here (ISO 639-5 reference names). */
export const FAMILY_NAMES: Readonly<Record<string, string>> = {
  aav: "Austro-Asiatic", afa: "Afro-Asiatic", art: "Constructed", aus: "Australian", cai: "Central American",
  cau: "Caucasian", cpe: "English-based creole", crp: "Creole or pidgin", dra: "Dravidian", esx: "Eskimo-Aleut",
  euq: "Basque", hmx: "Hmong-Mien", ine: "Indo-European", jpx: "Japonic", khi: "Khoisan", ko: "Koreanic",
  map: "Austronesian", nai: "North American", nic: "Niger-Kordofanian", paa: "Papuan", sai: "South American",
  sgn: "Sign language", sit: "Sino-Tibetan", ssa: "Nilo-Saharan", tai: "Tai-Kadai", tup: "Tupian",
  urj: "Uralic", ypk: "Yupik", trk: "Turkic", xgn: "Mongolic", tuw: "Tungusic", kgp: "Kaingang"
};

/** Project additions: language -> the CLDR group it belongs to (all among the 100 most spoken). */
const PLACEMENTS: Readonly<Record<string, string>> = {
  lah: "inc", pnb: "inc", hak: "zhx", rw: "bnt", rn: "bnt", kri: "cpe", min: "poz", tl: "phi", sq: "ine", mt: "sem"
};

const ROOT = "mul";
const SPLIT_FAMILIES = new Set(["tut"]);

let parents: Map<string, string> | undefined;

function parentMap(): Map<string, string> {
  if (!parents) {
    parents = new Map();
    for (const [group, children] of Object.entries(languageGroups())) for (const child of children.split(" ")) parents.set(child, group);
    for (const [lang, group] of Object.entries(PLACEMENTS)) if (!parents.has(lang)) parents.set(lang, group);
  }
  return parents;
}

/** ISO 639-5 family code of the first candidate code found in the tree, or undefined. */
export function familyOf(candidates: readonly string[]): string | undefined {
  const up = parentMap();
  for (const code of candidates) {
    const chain = [code];
    while (up.has(chain[chain.length - 1])) chain.push(up.get(chain[chain.length - 1])!);
    if (chain.length < 2 || chain[chain.length - 1] !== ROOT) continue;
    const top = chain[chain.length - 2];
    if (SPLIT_FAMILIES.has(top) && chain.length >= 3) return chain[chain.length - 3];
    return top;
  }
  return undefined;
}
