import { createHash } from 'node:crypto';
import type { ObjectInfo, ObjectReadStream, ObjectStore } from '../transport.js';

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

  open(name: string): Promise<ObjectReadStream | undefined> {
    const object = this.#objects.get(name);
    if (!object) return Promise.resolve(undefined);
    const data = object.data.slice();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (data.byteLength > 0) controller.enqueue(data);
        controller.close();
      },
    });
    return Promise.resolve({ info: object.info, stream });
  }

  info(name: string): Promise<ObjectInfo | undefined> {
    return Promise.resolve(this.#objects.get(name)?.info);
  }

  delete(name: string): Promise<void> {
    this.#objects.delete(name);
    return Promise.resolve();
  }
}
