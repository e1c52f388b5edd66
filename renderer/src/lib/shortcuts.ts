/** Keyboard shortcuts of the training controls; active unless the focus is in a field that takes typing. */
export interface Shortcut {
  /** KeyboardEvent.key, compared case-insensitively for letters. */
  key: string;
  shift?: boolean;
  /** For aria-keyshortcuts. */
  aria: string;
  /** For the tooltip. */
  label: string;
}

export const SHORTCUTS = {
  start: { key: 's', aria: 'S', label: 'S' },
  pause: { key: 'p', aria: 'P', label: 'P' },
  resume: { key: 'r', aria: 'R', label: 'R' },
  step: { key: 'n', aria: 'N', label: 'N' },
  stop: { key: 'x', aria: 'X', label: 'X' },
  reset: { key: 'r', shift: true, aria: 'Shift+R', label: 'Shift+R' },
} as const satisfies Record<string, Shortcut>;

export type ShortcutAction = keyof typeof SHORTCUTS;

function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
  return false;
}

/** The action a key press asks for, or null. Space toggles pause and resume. */
export function shortcutFor(event: KeyboardEvent): ShortcutAction | 'toggle' | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typingTarget(event.target)) return null;
  if (event.key === ' ' && !(event.target instanceof HTMLButtonElement) && !(event.target instanceof HTMLInputElement)) return 'toggle';
  const key = event.key.toLowerCase();
  for (const [action, s] of Object.entries(SHORTCUTS) as [ShortcutAction, Shortcut][]) {
    if (s.key === key && Boolean(s.shift) === event.shiftKey) return action;
  }
  return null;
}
