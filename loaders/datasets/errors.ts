/** An error a user caused through a dataset file or option; the message is one line naming the place. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

/** `file:line: field "name": problem`, the one-line shape of every user-file error. */
export function locate(file: string, line: number, field: string | undefined, problem: string): DatasetError {
  const where = field === undefined ? `${file}:${line}` : `${file}:${line}: field "${field}"`;
  return new DatasetError(`${where}: ${problem}`);
}
