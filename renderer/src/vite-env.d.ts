/// <reference types="svelte" />
/// <reference types="vite/client" />

import type { LabApi } from '../../common/desktop-api';

declare global {
  interface Window {
    // Optional: absent when the renderer is served to a browser by `nnlab serve`.
    readonly lab?: LabApi;
  }
}
