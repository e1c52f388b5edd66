import { join } from 'node:path';
import { app, BrowserWindow, dialog, type Session } from 'electron';

/**
 * Downloads (an export the page hands over) are saved where the person says in the system's save dialog,
 * shown by main so that it belongs to the window; a cancelled dialog cancels the download.
 */
export function saveDownloadsWithDialog(session: Session): void {
  session.on('will-download', (_event, item, contents) => {
    const win = BrowserWindow.fromWebContents(contents);
    const options = { title: 'Save the exported model', defaultPath: join(app.getPath('downloads'), item.getFilename()) };
    // Synchronous: the save path must be set before this handler returns.
    const path = win ? dialog.showSaveDialogSync(win, options) : dialog.showSaveDialogSync(options);
    if (path) item.setSavePath(path);
    else item.cancel();
  });
}
