// Replaced at build time (electron.config.ts): a sandboxed preload cannot read package.json.
declare const __NNLAB_VERSION__: string;
