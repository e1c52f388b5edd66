import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { TextEncoding } from './encoding';

/** Raised when bytes past the sampled start of a file turn out not to be UTF-8, so the file is read again as Latin-1. */
export class NotUtf8 extends Error {}

/** Bytes to text with a chosen decoder, keeping count of the bytes that went through for progress. */
export class DecodeStream extends Transform {
  bytes = 0;
  readonly hash = createHash('sha256');
  private readonly decoder: TextDecoder;

  constructor(encoding: TextEncoding) {
    super({ readableObjectMode: true });
    // fatal for UTF-8, so a file that only looks like UTF-8 at first is caught and read again as Latin-1.
    this.decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      if (text) this.push(text);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      const text = this.decoder.decode();
      if (text) this.push(text);
      done();
    } catch (error) {
      done(error as Error);
    }
  }
}
