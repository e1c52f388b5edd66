import { app, closeAllPorts, FakeBrowserWindow } from './electron-stand-in';
import { settle, tempDir, waitFor } from './helpers';

/**
 * Starts main/electron/index.ts against the stand-in app, with a temporary userData folder (and
 * NNLAB_HOME when a home is given), and gives back how to end it and put the environment back.
 * The calling test file must mock 'electron' with the stand-in.
 */
export async function startMainEntry(options: { home?: string; packaged: boolean }): Promise<{ userData: string; stop(): Promise<void> }> {
  const savedHome = process.env['NNLAB_HOME'];
  const savedDev = process.env['ELECTRON_RENDERER_URL'];
  const userData = await tempDir('nnlab-userdata-');
  if (options.home) process.env['NNLAB_HOME'] = options.home;
  else delete process.env['NNLAB_HOME'];
  process.env['ELECTRON_RENDERER_URL'] = 'http://localhost:5173/';
  app.paths.set('userData', userData.dir);
  // Packaged, the dev server URL must be ignored.
  app.isPackaged = options.packaged;
  await import('../../main/electron/index');
  const windows = FakeBrowserWindow.all.length;
  app.becomeReady();
  // The window opens once the menu's recent files and the window's last place are read from userData.
  await waitFor(() => FakeBrowserWindow.all.length > windows, 'the first window');
  await settle();
  return {
    userData: userData.dir,
    async stop() {
      app.emit('will-quit');
      closeAllPorts();
      if (savedHome === undefined) delete process.env['NNLAB_HOME']; else process.env['NNLAB_HOME'] = savedHome;
      if (savedDev === undefined) delete process.env['ELECTRON_RENDERER_URL']; else process.env['ELECTRON_RENDERER_URL'] = savedDev;
      await userData.remove();
    },
  };
}
