import { writeFileSync } from 'node:fs';
import { Random } from '../../engine/random';

/** A day's weather as the table records it; the rare kinds sit between the common ones, as they do in real records. */
interface WeatherKind {
  name: string;
  /** Share of the rows. */
  share: number;
  /** Mean temperature (°C), humidity (%), wind (km/h), pressure (hPa) and visibility (km). */
  centre: [number, number, number, number, number];
}

export const WEATHER_KINDS: readonly WeatherKind[] = [
  { name: 'sunny', share: 0.45, centre: [24, 45, 12, 1019, 20] },
  { name: 'cloudy', share: 0.3, centre: [17, 66, 16, 1011, 14] },
  { name: 'rain', share: 0.19, centre: [13, 86, 24, 1001, 7] },
  { name: 'drizzle', share: 0.03, centre: [14, 84, 21, 1003, 8.5] },
  { name: 'fog', share: 0.03, centre: [15.5, 71, 14, 1012, 11.5] },
];

/** The spread of each measurement around its kind's mean. */
const SPREAD = [3.5, 7, 5, 5, 3.5];

export const RARE_WEATHER = ['drizzle', 'fog'] as const;

/**
 * Writes a seeded weather table of `rows` days: three common kinds and two rare ones (drizzle and fog, 3 % of
 * the rows each) that overlap the common ones, so that a network trained on plain counts never predicts them.
 */
export function writeWeatherCsv(path: string, rows = 1500, seed = 7): void {
  const rng = Random.stream(seed, 'weather');
  const lines = ['temperature,humidity,wind,pressure,visibility,weather'];
  for (const kind of WEATHER_KINDS) {
    for (let i = 0; i < Math.round(rows * kind.share); i++) {
      const values = kind.centre.map((mean, j) => mean + SPREAD[j]! * rng.normal());
      lines.push(`${values.map((v) => v.toFixed(1)).join(',')},${kind.name}`);
    }
  }
  // Shuffled, so that the file does not list the days by kind.
  const order = Array.from({ length: lines.length - 1 }, (_, i) => i + 1);
  rng.shuffle(order);
  writeFileSync(path, `${[lines[0], ...order.map((i) => lines[i])].join('\n')}\n`);
}
