/** Where the Electron runtime is (NNLAB_ELECTRON, else the installed electron package's binary), or undefined. */
export function electronBinary(): string | undefined;
