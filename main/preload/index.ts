import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { LAB_CALL, LAB_CHOOSE_CSV, LAB_CHOOSE_MODEL, LAB_EVENTS_PORT, LAB_MENU_COMMAND, LAB_PATH_FOR_FILE, LAB_SET_THEME, type EventAck, type EventBatch } from '../../common/ipc-channels';
import { menuCommandSchema, type MenuCommand } from '../../common/menu-commands';
import { labMethods, type LabEvent } from '../../common/lab-api';
import type { DesktopLabApi } from '../../common/desktop-api';

/** The renderer's end of the event channel: a DOM MessagePort (described by shape: this file is checked without DOM types). */
interface EventPort {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: EventAck): void;
}

/** ipcRenderer.invoke wraps a handler's error as "Error invoking remote method 'x': Error: message"; the renderer gets the message. */
async function invoke(channel: string, ...args: unknown[]): Promise<unknown> {
  try {
    return await ipcRenderer.invoke(channel, ...args);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, ''));
  }
}

const listeners = new Set<(event: LabEvent) => void>();
let port: EventPort | null = null;

function deliver(data: unknown): void {
  const batch = data as Partial<EventBatch> | null;
  if (!batch || typeof batch.seq !== 'number' || !Array.isArray(batch.events)) return;
  for (const event of batch.events) {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('A lab event listener failed:', error);
      }
    }
  }
  // Main sends ahead only a few batches; acknowledging after the listeners ran lets it pace a busy page.
  port?.postMessage({ ack: batch.seq });
}

// Main answers a port request on the same channel. MessagePorts cannot cross contextBridge, so the port
// stays here and the renderer's listeners are called from it.
ipcRenderer.on(LAB_EVENTS_PORT, (event) => {
  const received = event.ports[0] as unknown as EventPort | undefined;
  if (!received) return;
  port = received;
  received.onmessage = (message) => deliver(message.data);
});

function subscribe(listener: (event: LabEvent) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('subscribe needs a function.');
  listeners.add(listener);
  // The first subscriber asks for the port; windows that never listen cost main nothing.
  if (!port && listeners.size === 1) ipcRenderer.send(LAB_EVENTS_PORT);
  return () => { listeners.delete(listener); };
}

const menuListeners = new Set<(command: MenuCommand) => void>();
// A command is checked here, where it enters the page's world; anything else main might send is dropped.
ipcRenderer.on(LAB_MENU_COMMAND, (_event, command: unknown) => {
  const parsed = menuCommandSchema.safeParse(command);
  if (!parsed.success) return;
  for (const listener of [...menuListeners]) listener(parsed.data);
});

function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onMenuCommand needs a function.');
  menuListeners.add(listener);
  return () => { menuListeners.delete(listener); };
}

// Every method of the contract, read from the contract itself so the list never falls behind it (this
// bundles the zod schemas into the preload; only their names are used here, main validates the arguments).
const methods = Object.fromEntries(
  Object.keys(labMethods).map((name) => [name, (...args: unknown[]) => invoke(LAB_CALL, name, args)]),
) as unknown as Omit<DesktopLabApi, 'subscribe' | 'chooseCsvFile' | 'chooseModelFile' | 'pathForFile' | 'onMenuCommand' | 'setTheme'>;

const lab: DesktopLabApi = {
  ...methods,
  subscribe,
  chooseCsvFile: () => invoke(LAB_CHOOSE_CSV) as Promise<string | null>,
  chooseModelFile: () => invoke(LAB_CHOOSE_MODEL) as Promise<string | null>,
  pathForFile: async (file: File) => {
    // Empty for a File made in the page rather than dropped from disk.
    const path = webUtils.getPathForFile(file);
    if (!path) throw new Error('That file is not on this computer’s disk.');
    return invoke(LAB_PATH_FOR_FILE, path) as Promise<string>;
  },
  onMenuCommand,
  setTheme: (theme) => ipcRenderer.send(LAB_SET_THEME, theme),
};

contextBridge.exposeInMainWorld('lab', lab);
