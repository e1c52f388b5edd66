import { z } from 'zod';

// JSON has no typed arrays and no NaN or ±∞: a float array travels as a plain array and a number that is not
// finite as null. These codecs say so; parsing with them (zod's decode direction) turns the JSON form back into
// what the contract promises.

const plainFloats = z.array(z.number().nullable());
const toPlain = (values: ArrayLike<number>): (number | null)[] => Array.from(values, (v) => (Number.isFinite(v) ? v : null));

export const wireFloat64s = z.codec(plainFloats, z.instanceof(Float64Array), {
  decode: (values) => Float64Array.from(values, (v) => v ?? Number.NaN),
  encode: toPlain,
});

export const wireFloatArrays = z.codec(plainFloats, z.union([z.instanceof(Float32Array), z.instanceof(Float64Array)]), {
  decode: (values) => Float64Array.from(values, (v) => v ?? Number.NaN),
  encode: toPlain,
});

/** Any number, NaN and ±∞ included (z.number() refuses them). */
export const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number');

export const wireNumber = z.codec(z.number().nullable(), anyNumber, {
  decode: (value) => value ?? Number.NaN,
  encode: (value) => (Number.isFinite(value) ? value : null),
});
