import { themeSchema, type Theme } from '../../../common/menu-commands';

/** The theme chosen in this browser (or desktop window): System follows the system's light or dark. */
const KEY = 'nnlab.theme';
/** Fired on window when the colours change, for what draws with them (charts). */
export const THEME_CHANGE_EVENT = 'nnlab:theme-change';

export function loadTheme(): Theme {
  try {
    const parsed = themeSchema.safeParse(localStorage.getItem(KEY));
    return parsed.success ? parsed.data : 'system';
  } catch {
    return 'system';
  }
}

const systemDark = () => matchMedia('(prefers-color-scheme: dark)');

/** What the page shows: the choice, with System resolved; styles.css keys its colours on data-theme. */
function show(theme: Theme): void {
  const resolved = theme === 'system' ? (systemDark().matches ? 'dark' : 'light') : theme;
  const root = document.documentElement;
  if (root.dataset['theme'] === resolved) return;
  root.dataset['theme'] = resolved;
  window.dispatchEvent(new Event(THEME_CHANGE_EVENT));
}

let current: Theme = 'system';

/** Shows and remembers a theme. */
export function applyTheme(theme: Theme): void {
  current = theme;
  show(theme);
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Storage may be full or disabled; the choice then lasts until the page reloads.
  }
}

/** Shows the remembered theme, and keeps System in step with the system from then on. */
export function startTheme(): Theme {
  current = loadTheme();
  show(current);
  systemDark().addEventListener('change', () => show(current));
  return current;
}
