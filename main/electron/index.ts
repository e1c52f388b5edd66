import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, net, protocol, session } from 'electron';

// Relative to the built file, out/main/index.js; the trailing slash keeps the
// separator on rendererDir, which the containment check below relies on.
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

const SCHEME = 'app';
const HOST = 'nnlab';

// A standard, secure scheme gives the renderer a real origin, so the CSP's
// 'self' and ES module scripts behave as they would over HTTPS.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function serveRenderer(request: Request): Promise<Response> | Response {
  const { host, pathname } = new URL(request.url);
  let file: string;
  try {
    file = join(rendererDir, decodeURIComponent(pathname));
  } catch {
    return new Response('Bad request', { status: 400 });
  }
  // join() resolves "..", so a prefix check is enough to keep requests inside the bundle.
  if (host !== HOST || !file.startsWith(rendererDir)) {
    return new Response('Not found', { status: 404 });
  }
  return net.fetch(pathToFileURL(file.endsWith(sep) ? join(file, 'index.html') : file).href);
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'nnlab',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    },
  });
  // The lab is a single page: any navigation or new window is either a bug or hostile content.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // `electron-vite dev` serves the renderer with hot reload and passes its URL here.
  const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  void win.loadURL(devServer ?? `${SCHEME}://${HOST}/index.html`);
}

void app.whenReady().then(() => {
  protocol.handle(SCHEME, serveRenderer);
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
