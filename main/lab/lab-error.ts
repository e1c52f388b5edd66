/** A plain-language error the user caused (bad input, unknown id): sent to the window as it is. */
export class LabError extends Error {
  override readonly name = 'LabError';
}

/** An error whose words are already plain (a model file that cannot be read says why): those words reach the window as a LabError. */
export function plainError(error: unknown): never {
  throw new LabError(error instanceof Error ? error.message : String(error));
}
