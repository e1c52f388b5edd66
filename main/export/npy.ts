/**
 * NumPy's .npy format, version 1.0: a magic string, a header that is a Python dict literal padded so the
 * data starts at a multiple of 64 bytes, then the values in C order.
 */
export type NpyArray =
  | { dtype: '<f4'; shape: number[]; data: ArrayLike<number> }
  | { dtype: '<f8'; shape: number[]; data: ArrayLike<number> }
  | { dtype: 'unicode'; shape: number[]; data: string[] };

function header(descr: string, shape: number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const bytes = new Uint8Array(10 + dict.length);
  bytes.set([0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0)), 1, 0]);
  new DataView(bytes.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) bytes[10 + i] = dict.charCodeAt(i);
  return bytes;
}

export function encodeNpy(array: NpyArray): Uint8Array {
  let descr: string;
  let body: Uint8Array;
  if (array.dtype === 'unicode') {
    // Fixed-width UTF-32 little-endian, as NumPy stores str arrays; width = the longest string.
    const chars = array.data.map((s) => Array.from(s));
    const width = Math.max(1, ...chars.map((c) => c.length));
    descr = `<U${width}`;
    body = new Uint8Array(array.data.length * width * 4);
    const view = new DataView(body.buffer);
    chars.forEach((c, i) => c.forEach((ch, j) => view.setUint32((i * width + j) * 4, ch.codePointAt(0)!, true)));
  } else {
    descr = array.dtype;
    const size = array.dtype === '<f4' ? 4 : 8;
    body = new Uint8Array(array.data.length * size);
    const view = new DataView(body.buffer);
    for (let i = 0; i < array.data.length; i++) {
      if (size === 4) view.setFloat32(i * 4, array.data[i]!, true);
      else view.setFloat64(i * 8, array.data[i]!, true);
    }
  }
  const head = header(descr, array.shape);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** Reads a .npy written by encodeNpy (or NumPy, for these dtypes): for checking exports. */
export function decodeNpy(bytes: Uint8Array): { descr: string; shape: number[]; data: number[] | string[] } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  const dict = String.fromCharCode(...bytes.subarray(10, 10 + length));
  const descr = /'descr': '([^']+)'/.exec(dict)![1]!;
  const shape = /'shape': \(([^)]*)\)/.exec(dict)![1]!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + 10 + length);
  if (descr.startsWith('<U')) {
    const width = Number(descr.slice(2));
    return {
      descr, shape,
      data: Array.from({ length: count }, (_, i) => {
        let s = '';
        for (let j = 0; j < width; j++) {
          const code = view.getUint32((i * width + j) * 4, true);
          if (code === 0) break;
          s += String.fromCodePoint(code);
        }
        return s;
      }),
    };
  }
  const size = descr === '<f4' ? 4 : 8;
  return { descr, shape, data: Array.from({ length: count }, (_, i) => (size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true))) };
}
