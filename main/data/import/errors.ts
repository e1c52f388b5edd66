/** A problem with an input file, said so that a person can fix it: what, where, and what to do. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** The person cancelled an import; nothing of it is kept. */
export class ImportCancelled extends Error {
  override readonly name = 'ImportCancelled';
  constructor(source: string) {
    super(`Reading ${source} was cancelled.`);
  }
}
