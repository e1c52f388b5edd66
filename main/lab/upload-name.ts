import { basename } from 'node:path';

/** Names Windows keeps for devices, whatever the extension: a file called NUL.csv cannot be made there. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i;

/**
 * A name a browser gave its upload, made safe to keep or show: its last part only, odd characters as `_`, at most
 * 120 characters; a name of dots or spaces (or nothing), which would name a folder rather than a file, is `fallback`;
 * a Windows device name gets a `_` in front, so the lab folder can be copied to any system.
 */
export function uploadName(name: string, fallback: string): string {
  const cleaned = basename(name).replace(/[^\w.\- ]+/g, '_').slice(0, 120);
  if (/^[. ]*$/.test(cleaned)) return fallback;
  return WINDOWS_DEVICE.test(cleaned) ? `_${cleaned}`.slice(0, 120) : cleaned;
}
