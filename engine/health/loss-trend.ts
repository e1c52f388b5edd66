/** Epochs of training loss a trend is judged on: fewer say too little about a trend. */
export const TREND_EPOCHS = 10;
/** A loss whose last TREND_EPOCHS epochs span less than this share of their mean has stopped moving. */
const PLATEAU_SPAN = 1e-3;
/** A loss this small has learned what it can: flat there is done, not stuck. */
const LEARNED_LOSS = 1e-3;
/** Of the epoch-to-epoch changes, at least this share turn direction in an oscillating loss... */
const TURNING_SHARE = 0.7;
/** ...and they are this large a share of the loss on average, more than noise of a mini-batch order. */
const SWING_SHARE = 0.05;

function lastFinite(losses: readonly number[]): number[] | null {
  const recent = losses.slice(-TREND_EPOCHS);
  return recent.length === TREND_EPOCHS && recent.every(Number.isFinite) ? recent : null;
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Whether the loss of the last TREND_EPOCHS epochs has stayed flat at a value that is not yet small. */
export function isPlateau(losses: readonly number[]): boolean {
  const recent = lastFinite(losses);
  if (!recent) return false;
  const average = mean(recent);
  if (average < LEARNED_LOSS) return false;
  return Math.max(...recent) - Math.min(...recent) < PLATEAU_SPAN * average;
}

/** Whether the loss of the last TREND_EPOCHS epochs goes up and down in large swings rather than down. */
export function isOscillating(losses: readonly number[]): boolean {
  const recent = lastFinite(losses);
  if (!recent) return false;
  const changes = recent.slice(1).map((v, i) => v - recent[i]!);
  let turns = 0;
  for (let i = 1; i < changes.length; i++) if (changes[i]! * changes[i - 1]! < 0) turns++;
  const swing = mean(changes.map(Math.abs));
  return turns >= TURNING_SHARE * (changes.length - 1) && swing > SWING_SHARE * mean(recent);
}
