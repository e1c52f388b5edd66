import { inAppWords } from '../../../engine/advice';
import type { LabClient } from '../../../common/lab-api';

/**
 * The lab's messages are made once, in the command line's words for the steps they advise (engine/advice.ts);
 * the app shows them with its own controls in their place. Every reply and event passes through here, so no
 * view can show a flag: their strings are rewritten in place (each reply is a fresh copy made for this window).
 */
/** Fields that hold a file's data rather than the lab's words: shown as they are (and not walked, being large). */
const DATA_FIELDS = new Set(['preview', 'rows', 'csvBase64']);

function spoken<T>(value: T): T {
  if (typeof value === 'string') return inAppWords(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = spoken(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (DATA_FIELDS.has(key)) continue;
      const before = record[key];
      const after = spoken(before);
      if (after !== before) record[key] = after;
    }
  }
  return value;
}

function spokenError(error: unknown): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? inAppWords(error) : error;
  const message = inAppWords(error.message);
  return message === error.message ? error : new Error(message);
}

/** The lab as the app's views use it: the same calls, every message in the app's words. */
export function inAppLanguage<L extends LabClient>(lab: L): L {
  return new Proxy(lab, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key);
      if (typeof member !== 'function') return member;
      if (key === 'subscribe') {
        return (listener: (event: unknown) => void) => target.subscribe((event) => listener(spoken(event)));
      }
      return (...args: unknown[]) => {
        const result: unknown = (member as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? result.then(spoken, (error: unknown) => { throw spokenError(error); }) : result;
      };
    },
  });
}
