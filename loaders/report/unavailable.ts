/**
 * The page of a configured model that has no results: why (once, without the model's name and the
 * "skipped" the build log adds) and how to fix it, by the kind of failure.
 */
import type {ModelFailure} from "../models/errors.js";
import type {Unavailable} from "../pipeline/model-pages.js";

/** What a user does about each kind of model failure; `other` is a failure that is no ModelError (a bug, memory). */
export const FIXES: Readonly<Record<ModelFailure | "other", string>> = {
  offline: "not downloaded: the model hub is unreachable from the machine that built this report. Run npx babelscope build once with network access (the files are then cached for offline builds), or set BABELSCOPE_HUB to a hub mirror this machine can reach.",
  "not-found": "the model or one of its files was not found. Check the reference in babelscope.config.ts (owner/name[@revision] on the hub, a folder in transformers.js layout, or embedded:<name>) and its dtype; npx babelscope models says which models are usable here.",
  unauthorized: "the hub refused the download (a gated or private model). Accept the model's terms on the hub and set HF_TOKEN to a token with access, then rebuild.",
  "invalid-ref": "the reference is not a model. Fix it in babelscope.config.ts: owner/name[@revision], a folder, or embedded:<name>.",
  unsupported: "Babelscope cannot read this model (its graph or weights). Try another dtype of it, or another export; npx babelscope models shows the details.",
  other: "the build failed on this model. The full error is in the log of npx babelscope build (its terminal); rerun the build once the cause is fixed."
};

export interface UnavailableNotice {
  model: string;
  status: "skipped" | "failed";
  /** The reason, said once: without the model's name before it and the build log's "; skipped" after it. */
  cause: string;
  fix: string;
}

/** The notice of a model that was skipped or failed, from its one-line reason and failure kind. */
export function unavailableNotice({model, status, reason, failure}: Unavailable): UnavailableNotice {
  let cause = reason;
  while (cause.startsWith(`${model}: `)) cause = cause.slice(model.length + 2);
  return {model, status, cause: cause.replace(/; skipped$/, ""), fix: FIXES[failure ?? "other"]};
}
