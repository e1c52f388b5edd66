import { basename } from 'node:path';

/**
 * A name a browser gave its upload, made safe to keep or show: its last part only, odd characters as `_`, at most
 * 120 characters; a name of dots or spaces (or nothing), which would name a folder rather than a file, is `fallback`.
 */
export function uploadName(name: string, fallback: string): string {
  const cleaned = basename(name).replace(/[^\w.\- ]+/g, '_').slice(0, 120);
  return /^[. ]*$/.test(cleaned) ? fallback : cleaned;
}
