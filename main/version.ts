/** The engine's version, recorded in every run and model so results can be traced to the code that made them. */
export const ENGINE_VERSION = '0.1.0';
