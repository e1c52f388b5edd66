import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * A stand-in for Electron's own API objects only (the Electron runtime cannot run here): ipcMain,
 * ipcRenderer, BrowserWindow/WebContents/WebFrameMain, MessageChannelMain, utilityProcess, dialog,
 * webUtils, contextBridge, app, protocol, session, net, Menu, nativeTheme, screen, DownloadItem. Every nnlab module under test is the real one.
 * Test files use it with: vi.mock('electron', async () => (await import('./electron-stand-in')).electron)
 */

type Handler = (event: unknown, ...args: unknown[]) => unknown;

let nextFrameId = 1;
let nextContentsId = 1;

/** WebFrameMain: a URL and a place in the frame tree. */
export class FakeFrame {
  readonly frameTreeNodeId = nextFrameId++;
  detached = false;
  readonly frames: FakeFrame[] = [];
  constructor(public url: string, readonly parent: FakeFrame | null = null) {
    parent?.frames.push(this);
  }
  get top(): FakeFrame {
    return this.parent ? this.parent.top : this;
  }
}

/** The renderer-side event ipcRenderer listeners get. */
export interface FakeRendererEvent {
  ports: MessagePort[];
  sender: FakeIpcRenderer;
}

/** WebContents: an id, a main frame, postMessage to the page, and the events main listens to. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame;
  destroyed = false;
  /** Every postMessage to the page: channel, message and the transferred ports (as the page sees them). */
  readonly posted: { channel: string; message: unknown; ports: MessagePort[] }[] = [];
  windowOpenHandler: ((details: unknown) => unknown) | null = null;
  loaded: string | null = null;
  /** The page's ipcRenderer, when a preload runs in it. */
  renderer: FakeIpcRenderer | null = null;
  /** Every send() to the page: channel and (structured-cloned) arguments. */
  readonly sent: { channel: string; args: unknown[] }[] = [];

  constructor(url = 'app://nnlab/index.html') {
    super();
    this.mainFrame = new FakeFrame(url);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }

  postMessage(channel: string, message: unknown, transfer: FakePortMain[] = []): void {
    // The ports arrive in the page as DOM MessagePorts.
    const ports = transfer.map((port) => port.raw);
    this.posted.push({ channel, message, ports });
    this.renderer?.deliver(channel, ports);
  }

  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    this.renderer?.deliver(channel, [], cloned);
  }

  setWindowOpenHandler(handler: (details: unknown) => unknown): void {
    this.windowOpenHandler = handler;
  }

  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static focused: FakeBrowserWindow | null = null;
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all;
  }
  static getFocusedWindow(): FakeBrowserWindow | null {
    return FakeBrowserWindow.focused;
  }
  static fromWebContents(contents: unknown): FakeBrowserWindow | null {
    return FakeBrowserWindow.all.find((win) => win.webContents === contents) ?? null;
  }
  readonly webContents: FakeWebContents;
  /** Where the window is (its unmaximised bounds), as the options gave it, and whether it is maximised. */
  bounds: { x: number; y: number; width: number; height: number };
  maximized = false;
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    this.webContents = new FakeWebContents();
    const n = (key: string, fallback: number) => (typeof options[key] === 'number' ? options[key] : fallback);
    this.bounds = { x: n('x', 100), y: n('y', 100), width: n('width', 800), height: n('height', 600) };
    FakeBrowserWindow.all.push(this);
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
}

/** The IpcMainEvent / IpcMainInvokeEvent Electron builds for a message from a frame. */
export function ipcEvent(contents: FakeWebContents, frame: FakeFrame | null = contents.mainFrame) {
  return { sender: contents, senderFrame: frame, frameId: frame?.frameTreeNodeId ?? 0, processId: 1, type: 'frame' as const };
}

export class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /**
   * What ipcRenderer.invoke does to reach a handler: arguments and result are structured-cloned, and a
   * thrown error reaches the page as a new Error whose message Electron prefixes.
   */
  async invoke(event: ReturnType<typeof ipcEvent>, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    let result: unknown;
    try {
      result = await handler(event, ...structuredClone(args));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
    return structuredClone(result);
  }
}

/** ipcRenderer, connected to one window's main frame (or another frame, to play a subframe). */
export class FakeIpcRenderer {
  private readonly listeners = new Map<string, ((event: FakeRendererEvent, ...args: unknown[]) => void)[]>();
  contents: FakeWebContents | null = null;
  frame: FakeFrame | null = null;

  attach(contents: FakeWebContents, frame: FakeFrame = contents.mainFrame): void {
    this.contents = contents;
    this.frame = frame;
    contents.renderer = this;
  }

  on(channel: string, listener: (event: FakeRendererEvent, ...args: unknown[]) => void): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return ipcMain.invoke(ipcEvent(this.connected(), this.frame), channel, ...args);
  }

  send(channel: string, ...args: unknown[]): void {
    ipcMain.emit(channel, ipcEvent(this.connected(), this.frame), ...structuredClone(args));
  }

  deliver(channel: string, ports: MessagePort[], args: unknown[] = []): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({ ports, sender: this }, ...args);
  }

  private connected(): FakeWebContents {
    if (!this.contents) throw new Error('stand-in ipcRenderer is not attached to a window');
    return this.contents;
  }
}

/** MessagePortMain over a real Node MessagePort, so messages are really structured-cloned and asynchronous. */
export class FakePortMain extends EventEmitter {
  private started = false;
  closed = false;
  readonly sent: unknown[] = [];
  constructor(readonly raw: MessagePort) {
    super();
    raw.on('close', () => {
      this.closed = true;
      this.emit('close');
    });
  }
  start(): void {
    if (this.started) return;
    this.started = true;
    this.raw.on('message', (data: unknown) => this.emit('message', { data, ports: [] }));
  }
  postMessage(message: unknown): void {
    this.sent.push(message);
    this.raw.postMessage(message);
  }
  close(): void {
    this.closed = true;
    this.raw.close();
  }
}

export const openChannels: MessageChannel[] = [];

export class FakeMessageChannelMain {
  readonly port1: FakePortMain;
  readonly port2: FakePortMain;
  constructor() {
    const channel = new MessageChannel();
    openChannels.push(channel);
    this.port1 = new FakePortMain(channel.port1);
    this.port2 = new FakePortMain(channel.port2);
  }
}

/** Closes every port the stand-in made, so nothing keeps the test process alive. */
export function closeAllPorts(): void {
  for (const channel of openChannels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
}

/** The surface of Electron's UtilityProcess that nnlab uses. */
export interface UtilityProcessLike extends EventEmitter {
  pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
}

export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();

export const dialog = {
  /** What the next open dialog answers. */
  next: { canceled: true, filePaths: [] as string[] },
  calls: [] as { window: unknown; options: unknown }[],
  async showOpenDialog(window: unknown, options: unknown) {
    this.calls.push({ window, options });
    return this.next;
  },
  /** What the save dialog answers (undefined: cancelled). */
  nextSave: undefined as string | undefined,
  saveCalls: [] as unknown[][],
  showSaveDialogSync(...args: unknown[]): string | undefined {
    this.saveCalls.push(args);
    return this.nextSave;
  },
  messages: [] as unknown[][],
  async showMessageBox(...args: unknown[]) {
    this.messages.push(args);
    return { response: 0, checkboxChecked: false };
  },
};

/** Menu: the template a menu was built from, and the one set as the application menu. */
export class FakeMenu {
  constructor(readonly template: unknown[]) {}
}
export const Menu = {
  application: null as FakeMenu | null,
  buildFromTemplate(template: unknown[]): FakeMenu {
    return new FakeMenu(template);
  },
  setApplicationMenu(menu: FakeMenu | null): void {
    this.application = menu;
  },
};

export const nativeTheme = { themeSource: 'system' as 'system' | 'light' | 'dark' };

type Rect = { x: number; y: number; width: number; height: number };
/** screen: the displays' work areas; getDisplayMatching as Electron's, the display a rectangle overlaps most, else the nearest. */
export const screen = {
  workAreas: [{ x: 0, y: 0, width: 1920, height: 1080 }] as Rect[],
  getDisplayMatching(rect: Rect): { workArea: Rect } {
    const overlap = (a: Rect) => Math.max(0, Math.min(a.x + a.width, rect.x + rect.width) - Math.max(a.x, rect.x))
      * Math.max(0, Math.min(a.y + a.height, rect.y + rect.height) - Math.max(a.y, rect.y));
    const distance = (a: Rect) => Math.hypot(a.x + a.width / 2 - (rect.x + rect.width / 2), a.y + a.height / 2 - (rect.y + rect.height / 2));
    const best = [...this.workAreas].sort((a, b) => overlap(b) - overlap(a) || distance(a) - distance(b))[0]!;
    return { workArea: { ...best } };
  },
};

/** A download as will-download hands it over. */
export class FakeDownloadItem {
  savePath: string | null = null;
  cancelled = false;
  constructor(private readonly fileName: string) {}
  getFilename(): string {
    return this.fileName;
  }
  setSavePath(path: string): void {
    this.savePath = path;
  }
  cancel(): void {
    this.cancelled = true;
  }
}

/** Files "dropped from disk" have a path; a File made in the page has none. */
export const droppedFiles = new WeakMap<object, string>();
export const webUtils = {
  getPathForFile(file: object): string {
    return droppedFiles.get(file) ?? '';
  },
};

export const exposed = new Map<string, unknown>();
export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    exposed.set(key, api);
  },
};

export const utilityProcess = {
  /** Set by a test: how the stand-in starts a process with UtilityProcess's surface. */
  implementation: null as ((modulePath: string, args: string[], options: unknown) => UtilityProcessLike) | null,
  forks: [] as { modulePath: string; args: string[]; options: unknown }[],
  fork(modulePath: string, args: string[] = [], options: unknown = {}): UtilityProcessLike {
    this.forks.push({ modulePath, args, options });
    if (!this.implementation) throw new Error('stand-in utilityProcess has no implementation');
    return this.implementation(modulePath, args, options);
  },
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  readonly paths = new Map<string, string>();
  private ready!: () => void;
  readonly readyPromise = new Promise<void>((resolve) => { this.ready = resolve; });
  quitCalls = 0;
  sandboxEnabled = false;
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  becomeReady(): void {
    this.ready();
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`stand-in app has no path "${name}"`);
    return path;
  }
  quit(): void {
    this.quitCalls++;
  }
}
export const app = new FakeApp();

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    this.handlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: Object.assign(new EventEmitter(), {
    permissionRequestHandler: null as ((...args: unknown[]) => void) | null,
    permissionCheckHandler: null as ((...args: unknown[]) => boolean) | null,
    setPermissionRequestHandler(handler: (...args: unknown[]) => void): void {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
      this.permissionCheckHandler = handler;
    },
  }),
};

/** net.fetch for file: URLs, which is all nnlab asks of it. */
export const net = {
  async fetch(url: string): Promise<Response> {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const bytes = await readFile(fileURLToPath(url));
    return new Response(bytes, { status: 200, headers: { 'Content-Type': url.endsWith('.html') ? 'text/html' : 'application/octet-stream' } });
  },
};

export const electron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  Menu,
  MessageChannelMain: FakeMessageChannelMain,
  nativeTheme,
  net,
  protocol,
  screen,
  session,
  utilityProcess,
  webUtils,
};
