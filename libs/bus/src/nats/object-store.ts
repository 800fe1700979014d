import type { ObjectInfo as NatsObjectInfo, ObjectStore as NatsObjectStore } from '@nats-io/obj';
import type { ObjectInfo, ObjectReadStream, ObjectStore } from '../transport.js';

function toInfo(i: NatsObjectInfo): ObjectInfo {
  return { name: i.name, size: i.size, digest: i.digest };
}

export class NatsObjectStoreAdapter implements ObjectStore {
  constructor(
    readonly bucket: string,
    private readonly os: NatsObjectStore,
  ) {}

  async put(name: string, data: Uint8Array): Promise<ObjectInfo> {
    return toInfo(await this.os.putBlob({ name }, data));
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    return (await this.os.getBlob(name)) ?? undefined;
  }

  /** nats.js streams the chunks as they arrive and errors the stream if the digest does not match at the end. */
  async open(name: string): Promise<ObjectReadStream | undefined> {
    const result = await this.os.get(name);
    if (!result) return undefined;
    // The digest failure also rejects `error`; the stream already carries it, so this copy is only kept from going unhandled.
    result.error.catch(() => undefined);
    return { info: toInfo(result.info), stream: result.data };
  }

  async info(name: string): Promise<ObjectInfo | undefined> {
    const i = await this.os.info(name);
    return i && !i.deleted ? toInfo(i) : undefined;
  }

  async delete(name: string): Promise<void> {
    await this.os.delete(name);
  }
}
