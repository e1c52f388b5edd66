import {
  defaultSettings, hiddenLayers, type DatasetRoles, type HiddenActivation, type ImportChoices, type TrainRequest, type TrainSettings,
} from '../../common/settings';

/**
 * Settings as a test writes them, the way the command line's flags say it: roles beside the settings, and the
 * hidden layers as widths with one activation (or one per layer). Whatever is left out keeps nnlab's default.
 */
export type FlatSettings = Partial<Omit<TrainSettings, 'layers'>> & DatasetRoles & {
  layers?: number[];
  activation?: HiddenActivation;
  activations?: HiddenActivation[];
  import?: ImportChoices;
};

function splitSettings(flat: FlatSettings = {}): { roles: DatasetRoles; settings: TrainSettings; import?: ImportChoices } {
  const { target, ignore, task, keepConstant, types, layers, activation, activations, import: reading, ...rest } = flat;
  const defaults = defaultSettings();
  const widths = layers ?? defaults.layers.map((l) => l.units);
  const hidden = hiddenLayers(widths, activation ?? defaults.layers[0]!.activation).map((layer, i) => ({ ...layer, activation: activations?.[i] ?? layer.activation }));
  const roles: DatasetRoles = { ...(target !== undefined ? { target } : {}), ...(ignore ? { ignore } : {}), ...(task ? { task } : {}), ...(keepConstant ? { keepConstant } : {}), ...(types ? { types } : {}) };
  return { roles, settings: { ...defaults, ...rest, layers: hidden }, ...(reading ? { import: reading } : {}) };
}

/** The arguments of createSession after the dataset: the roles, then the settings. */
export function sessionArgs(flat: FlatSettings = {}): [DatasetRoles, TrainSettings] {
  const { roles, settings } = splitSettings(flat);
  return [roles, settings];
}

/** A whole training request for a file. */
export function trainRequest(file: string, flat: FlatSettings = {}): TrainRequest {
  const { roles, settings, import: reading } = splitSettings(flat);
  return { file, roles, settings, ...(reading ? { import: reading } : {}) };
}
