import { createHash, createHmac } from 'node:crypto';

/**
 * The hash constructor `@smithy/signature-v4` wants (`new Sha256(secret?)`, `update`, `digest`),
 * over node:crypto: SHA-256, or HMAC-SHA256 when given a secret.
 */
export class Sha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', Buffer.from(secret as string));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}
