/** What a failed write means for a person, by its error code; null when it is not a file-system refusal. */
export function writeProblem(error: unknown): string | null {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOSPC': return 'the disk is full';
    case 'EDQUOT': return 'the disk quota is used up';
    case 'EROFS': return 'the disk is read-only';
    case 'EACCES':
    case 'EPERM': return 'this user may not write there';
    default: return null;
  }
}
