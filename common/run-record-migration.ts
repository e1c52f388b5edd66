/**
 * Brings a run.json written by an earlier nnlab to the current shape, so old runs still list, open, predict and
 * resume. Anything that is not a known earlier version passes through unchanged for the schema to judge.
 */
export function migrateRunRecord(value: unknown): unknown {
  if (!isObject(value) || value.schema !== 1 || !isObject(value.request)) return value;
  return { ...value, schema: 2, request: requestFromVersion1(value.request) };
}

/**
 * Version 1 kept one flat request: the file, the columns' roles and the settings side by side, and the network as
 * `layers` (widths) with `activation` (or `activations`, one per layer).
 */
function requestFromVersion1(request: Record<string, unknown>): Record<string, unknown> {
  const { file, testFile, import: reading, target, ignore, task, layers, activation, activations, ...settings } = request;
  const perLayer = Array.isArray(activations) ? activations : [];
  const hidden = Array.isArray(layers) ? layers.map((units, i) => ({ units, activation: perLayer[i] ?? activation })) : layers;
  return {
    file,
    ...(testFile !== undefined ? { testFile } : {}),
    ...(reading !== undefined ? { import: reading } : {}),
    roles: { ...(target !== undefined ? { target } : {}), ...(ignore !== undefined ? { ignore } : {}), ...(task !== undefined ? { task } : {}) },
    settings: { ...settings, layers: hidden },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
