/**
 * Why a model cannot be used. Every message is one line that names the model and the cause, so a
 * caller that can go on (a site build with several models) prints it and skips that model.
 */
export type ModelFailure =
  | "invalid-ref" // not a model reference at all
  | "offline" // the hub could not be reached in time
  | "not-found" // the hub or the disk has no such model or file
  | "unauthorized" // gated or private: a token is needed
  | "unsupported"; // the files exist but Babelscope cannot read this model

export class ModelError extends Error {
  override name = "ModelError";
  constructor(
    readonly failure: ModelFailure,
    readonly ref: string,
    message: string
  ) {
    super(`${ref}: ${message}`);
  }
}
