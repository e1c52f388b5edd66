/** Dense storage for every matrix in the engine: row-major, contiguous. */
export type FloatArray = Float32Array | Float64Array;

/** float32 for training; float64 for gradient checks, where rounding would hide a wrong derivative. */
export type Precision = 'float32' | 'float64';

export function allocate(precision: Precision, length: number): FloatArray {
  return precision === 'float64' ? new Float64Array(length) : new Float32Array(length);
}
