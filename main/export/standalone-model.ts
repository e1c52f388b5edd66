import { ISO_DATE_PATTERN } from '../../engine/data/dates';
import { inputNames } from '../../engine/data/preprocessing';
import type { Model } from '../../engine/model';

/** A held-back row as a person would pass it: cells by column name (numbers, text, or null when missing). */
export type RawRow = Record<string, string | number | null>;

export interface GoldenVector {
  row: RawRow;
  prediction: string | number | null;
  probabilities: number[] | null;
}

/** The model as plain JSON for generated code: everything a predict function needs and nothing else. */
export function standaloneModel(model: Model) {
  let fanIn = model.spec.inputs;
  return {
    inputs: inputNames(model.preprocessing),
    features: model.preprocessing.features,
    missingMarkers: model.preprocessing.missingMarkers,
    missingPolicy: model.preprocessing.missingPolicy,
    decimal: model.preprocessing.decimal ?? '.',
    target: model.preprocessing.target,
    layers: model.spec.layers.map((layer, i) => {
      const shape = [fanIn, layer.units];
      fanIn = layer.units;
      return {
        activation: layer.activation,
        shape,
        // float32 values written in full, so reading them back gives the same float32 numbers.
        weights: Array.from(model.layers[i]!.weights),
        bias: model.layers[i]!.bias ? Array.from(model.layers[i]!.bias!) : null,
      };
    }),
  };
}

/** Outputs of generated code must match nnlab's within this, relative to the value's size. */
export const PARITY_TOLERANCE = 1e-5;

/**
 * Python (standard library only) that reads an ISO date cell as nnlab does: year, month, day of month and ISO
 * weekday, or None for a cell that is not a date. The generated module and training script share it.
 */
export function pythonDateParts(): string {
  return `_ISO_DATE = re.compile(${JSON.stringify(ISO_DATE_PATTERN)})


def date_parts(text):
    """Year, month, day of month and ISO weekday (Monday 1 ... Sunday 7) of an ISO date as written, or None."""
    match = _ISO_DATE.match(str(text).strip())
    if not match:
        return None
    try:
        day = datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return [day.year, day.month, day.day, day.isoweekday()]
`;
}
