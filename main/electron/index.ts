import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, protocol, session } from 'electron';
import { LabBackend } from '../lab/lab-backend';
import { AppMenu } from './app-menu';
import { saveDownloadsWithDialog } from './downloads';
import { registerLabIpc, type LabIpc } from './ipc';
import { HOST, lockDown, rendererProtocolHandler, SCHEME } from './renderer-protocol';
import { utilityWorkerLauncher } from './utility-launcher';
import { rememberPlacement, restoredPlacement } from './window-placement';

// Relative to the built file, out/main/index.js (an entry, so never moved into out/main/chunks/).
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const workerScript = fileURLToPath(new URL('./worker.js', import.meta.url));

// A standard, secure scheme gives the renderer a real origin, so the CSP's
// 'self' and ES module scripts behave as they would over HTTPS.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// Every renderer is sandboxed, whatever its webPreferences say (must come before 'ready').
app.enableSandbox();

// Every WebContents, including any a bug might create, is kept to the one page.
app.on('web-contents-created', (_event, contents) => lockDown(contents));

let backend: LabBackend | undefined;
let ipc: LabIpc | undefined;

async function createWindow(lab: LabIpc, userData: string): Promise<BrowserWindow> {
  const placement = await restoredPlacement(userData);
  const win = new BrowserWindow({
    ...placement.options,
    title: 'nnlab',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
    },
  });
  if (placement.maximized) win.maximize();
  rememberPlacement(win, userData);
  lab.trust(win);
  // `electron-vite dev` serves the renderer with hot reload and passes its URL here.
  const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  void win.loadURL(devServer ?? `${SCHEME}://${HOST}/index.html`);
  return win;
}

void app.whenReady().then(async () => {
  protocol.handle(SCHEME, rendererProtocolHandler(rendererDir));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  saveDownloadsWithDialog(session.defaultSession);
  const userData = app.getPath('userData');
  // Runs live where the command line puts them by default (lab-home.ts mirrors userData), unless NNLAB_HOME says.
  const home = process.env['NNLAB_HOME'] || userData;
  const lab = new LabBackend(home, utilityWorkerLauncher(workerScript));
  backend = lab;
  let menu: AppMenu | undefined;
  ipc = registerLabIpc(lab, {
    devServerUrl: app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'],
    onDatasetOpened: (path) => void menu?.addRecent(path),
    onTheme: (theme) => menu?.chooseTheme(theme),
  });
  const registered = ipc;
  menu = await AppMenu.install(userData, registered);
  await createWindow(registered, userData);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(registered, userData);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Workers end with the app; their runs stay as their last checkpoints and can be resumed.
app.on('will-quit', () => {
  ipc?.dispose();
  backend?.shutdown();
});
