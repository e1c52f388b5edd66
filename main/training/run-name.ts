import { TRAINING_DEFAULTS, type TrainSettings } from '../../common/settings';

/** How many settings a default name names beyond the network: enough to tell runs apart, few enough to read. */
const MAX_PARTS = 4;

/** The hidden layers, with their activations where they are not the default one: "4 sigmoid", "64-32", "8-4 tanh/relu". */
function network(settings: TrainSettings): string {
  const layers = settings.layers;
  if (layers.length === 0) return 'linear';
  const usual = TRAINING_DEFAULTS.layers[0]!.activation;
  const activations = new Set(layers.map((l) => l.activation));
  const widths = layers.map((l) => l.units).join('-');
  if (activations.size > 1) return `${widths} ${layers.map((l) => l.activation).join('/')}`;
  return layers[0]!.activation === usual ? widths : `${widths} ${layers[0]!.activation}`;
}

/**
 * The settings that differ from the defaults, as short phrases, most telling first: the optimiser and its rate,
 * the loss, the batch, the seed, the length of training, then the rest.
 */
function differences(settings: TrainSettings): string[] {
  const d = TRAINING_DEFAULTS;
  const parts: string[] = [];
  if (settings.optimizer !== d.optimizer || settings.learningRate !== d.learningRate) {
    parts.push(settings.optimizer === d.optimizer ? `lr ${settings.learningRate}` : `${settings.optimizer} lr ${settings.learningRate}`);
  }
  if (settings.loss !== d.loss) parts.push(settings.loss);
  if (settings.batch !== d.batch) parts.push(settings.batch === 'full' ? 'full batch' : `batch ${settings.batch}`);
  if (settings.seed !== d.seed) parts.push(`seed ${settings.seed}`);
  if (settings.epochs !== d.epochs) parts.push(`${settings.epochs} epochs`);
  if (settings.l2 !== d.l2) parts.push(`l2 ${settings.l2}`);
  if (settings.init !== d.init) parts.push(`${settings.init} init`);
  if (settings.schedule !== d.schedule) parts.push(`${settings.schedule} lr`);
  if (settings.earlyStop !== d.earlyStop) parts.push(settings.earlyStop === null ? 'no early stop' : `patience ${settings.earlyStop}`);
  if ((settings.classWeight ?? 'none') !== d.classWeight) parts.push(`${settings.classWeight} weights`);
  if (settings.val !== d.val || settings.test !== d.test) parts.push(`val ${settings.val} test ${settings.test}`);
  if (!settings.bias) parts.push('no bias');
  if (!settings.standardize) parts.push('raw inputs');
  if (settings.refit) parts.push('refit');
  return parts;
}

/**
 * A new run's name when none is given: the file's stem, the hidden layers, and the few settings that differ most
 * from the defaults, so runs of one file with different settings have different names ("seed-xor 4 sigmoid · sgd lr 1 · sse").
 */
export function defaultRunName(source: string, settings: TrainSettings): string {
  const stem = source.replace(/\.[^.]*$/, '');
  return [`${stem} ${network(settings)}`, ...differences(settings).slice(0, MAX_PARTS)].join(' · ');
}
