/** Deterministic multilingual test items of varied lengths (several scripts, an RTL one). */
import {writeFileSync} from "node:fs";
import type {TextItem} from "../../loaders/types.js";

const PHRASES: Record<string, string[]> = {
  eng: ["Everyone has the right to life", "All human beings are born free", "education", "Hello world, this is a longer sentence about rights and freedom"],
  fra: ["Tout individu a droit à la vie", "Tous les êtres humains naissent libres", "éducation", "Bonjour"],
  rus: ["Каждый человек имеет право на жизнь", "Все люди рождаются свободными", "образование", "Привет"],
  arb: ["لكل فرد الحق في الحياة", "يولد جميع الناس أحراراً", "التعليم", "مرحبا"],
  cmn: ["人人有权享有生命", "人人生而自由", "教育", "你好世界"],
  hin: ["प्रत्येक व्यक्ति को जीवन का अधिकार है", "सभी मनुष्य स्वतंत्र पैदा होते हैं", "शिक्षा", "नमस्ते"]
};

/** `count` items cycling through languages and phrases; repeated phrases get a counter so texts differ. */
export function testItems(count: number): TextItem[] {
  const langs = Object.keys(PHRASES);
  return Array.from({length: count}, (_, i) => {
    const lang = langs[i % langs.length];
    const phrases = PHRASES[lang];
    const unit = Math.floor(i / langs.length);
    const phrase = phrases[unit % phrases.length];
    const round = Math.floor(unit / phrases.length);
    return {id: `${lang}-${unit}`, unit: `u${unit}`, lang, text: round ? `${phrase} ${round}` : phrase};
  });
}

/** `testItems(count)` labelled for a probe: odd units "known", even "unknown". */
export function labelledItems(count: number): TextItem[] {
  return testItems(count).map((item) => ({...item, label: Number(item.unit.slice(1)) % 2 ? "known" : "unknown"}));
}

/** Writes items as a JSONL dataset file; returns its path. */
export function writeItems(path: string, items: readonly TextItem[]): string {
  writeFileSync(path, items.map((item) => JSON.stringify(item)).join("\n") + "\n");
  return path;
}
