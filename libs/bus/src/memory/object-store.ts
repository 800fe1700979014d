import { createHash } from 'node:crypto';
import type { ObjectInfo, ObjectStore } from '../transport.js';

export class MemoryObjectStore implements ObjectStore {
  readonly #objects = new Map<string, { data: Uint8Array; info: ObjectInfo }>();

  constructor(readonly bucket: string) {}

  put(name: string, data: Uint8Array): Promise<ObjectInfo> {
    // Same digest format as the NATS object store (base64url with padding), so callers can compare either.
    const digest = `SHA-256=${createHash('sha256').update(data).digest('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
    const info = { name, size: data.byteLength, digest };
    this.#objects.set(name, { data: data.slice(), info });
    return Promise.resolve(info);
  }

  get(name: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.#objects.get(name)?.data.slice());
  }

  info(name: string): Promise<ObjectInfo | undefined> {
    return Promise.resolve(this.#objects.get(name)?.info);
  }

  delete(name: string): Promise<void> {
    this.#objects.delete(name);
    return Promise.resolve();
  }
}
