/**
 * What a message tells a person to do, named once in the words of both places they meet it: the command
 * line's flag and the app's control. A message is made with `advise`, which writes the flag's words, so
 * the command line prints it as it is; the app shows the same message through `inAppWords`, which puts the
 * control's words in their place. The facts stay in one message; only the words for the control differ.
 */
interface Advice {
  /** The command line's words, as the message says them (lower case: `advise` capitalises a sentence's start). */
  flag: (arg: string) => string;
  /** The app's words for the same step: the control that takes it, in the control's own label. */
  app: (arg: string) => string;
  /** What an argument looks like, for advice that takes one (a count, a run id). */
  arg?: RegExp;
}

const ADVICE = {
  taskRegression: { flag: () => 'use --task regression', app: () => 'choose Regression in Task' },
  taskClassification: { flag: () => 'use --task classification', app: () => 'choose Classification in Task' },
  missingImpute: { flag: () => 'use --missing-policy impute', app: () => 'choose “fill in” in Missing values' },
  missingDrop: { flag: () => 'use --missing-policy drop', app: () => 'choose “leave the row out” in Missing values' },
  missingMarker: { flag: () => 'list it as missing with --missing', app: () => 'empty that cell so that it counts as missing' },
  taskEither: { flag: () => 'choose classes or a number for it with --task', app: () => 'choose Classification or Regression in Task' },
  missingMarkers: { flag: () => 'list them as missing values with --missing', app: () => 'empty those cells so that they count as missing' },
  otherTarget: { flag: () => 'choose another target with --target, or leave it out of --ignore', app: () => 'choose another Target, or make its role feature' },
  keepHeldOut: { flag: () => 'keep --val or --test above 0', app: () => 'keep Validation fraction or Test fraction above 0' },
  header: { flag: () => 'say so with --header', app: () => 'give one of its columns a name that is not a number' },
  delimiter: { flag: () => 'choose the separator with --delimiter', app: () => 'save the file with one of them between its fields' },
  realEncoding: { flag: () => 'choose its real encoding with --encoding', app: () => 'save it as UTF-8' },
  encoding: { flag: () => 'or choose its encoding with --encoding', app: () => 'and open it again' },
  layers: {
    flag: (units) => `--layers ${units}`,
    app: (units) => `hidden layers of ${units.split(',').join(' and ')} neurons`,
    arg: /\d+(?:,\d+)*/,
  },
  resume: { flag: (run) => `resume it with: nnlab runs resume ${run}`, app: () => 'resume it in Runs (Resume)', arg: /[\w-]+/ },
  moreEpochs: { flag: (epochs) => `--epochs ${epochs} or more`, app: (epochs) => `Epochs of ${epochs} or more`, arg: /\d+/ },
  lowerRate: { flag: () => 'lower the learning rate with --lr', app: () => 'lower the Learning rate' },
  higherRate: { flag: () => 'raise the learning rate with --lr', app: () => 'raise the Learning rate' },
  adam: { flag: () => 'use --optimizer adam', app: () => 'choose Adam in Optimiser' },
  leakyRelu: { flag: () => 'use --activation leaky_relu', app: () => 'choose leaky ReLU in the layers’ Activation' },
  reluLayers: { flag: () => 'use --activation relu', app: () => 'choose ReLU in the layers’ Activation' },
  initGlorot: { flag: () => 'use --init glorot', app: () => 'choose Glorot uniform in Initialiser' },
  initHe: { flag: () => 'use --init he', app: () => 'choose He normal in Initialiser' },
  standardize: { flag: () => 'leave out --no-standardize', app: () => 'tick Standardise numeric features' },
  balanced: { flag: () => 'use --class-weight balanced', app: () => 'choose Balanced in Class weights' },
} as const satisfies Record<string, Advice>;

export type AdviceId = keyof typeof ADVICE;

/** Every piece of advice a message can give. */
export const ADVICE_IDS = Object.keys(ADVICE) as AdviceId[];

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The command line's words for one piece of advice; `start` capitalises it for the start of a sentence. */
export function advise(id: AdviceId, arg = '', start = false): string {
  const text = ADVICE[id].flag(arg);
  return start ? capitalised(text) : text;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ARG = '\u0000';

/** Each piece of advice as it appears in a message (either case at its start), and its app words. */
const RULES = Object.values(ADVICE).map((advice: Advice) => {
  const template = escaped(advice.flag(ARG)).replace(ARG, `(${advice.arg?.source ?? ''})`);
  const head = template.charAt(0);
  return { pattern: new RegExp(`[${head}${head.toUpperCase()}]${template.slice(1)}`, 'g'), advice };
});

/** A message in the app's words: every flag it names becomes the control that acts on it. */
export function inAppWords(message: string): string {
  if (!message.includes('--') && !message.includes('nnlab ')) return message;
  let text = message;
  for (const { pattern, advice } of RULES) {
    text = text.replace(pattern, (found: string, ...groups: unknown[]) => {
      const words = advice.app(advice.arg ? String(groups[0]) : '');
      return /^[A-Z]/.test(found) ? capitalised(words) : words;
    });
  }
  return text;
}
