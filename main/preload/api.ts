// The contract between preload and renderer; kept import-free so the renderer's
// type check can include it without pulling in Electron or Node types.
export interface LabApi {
  readonly version: string;
}
