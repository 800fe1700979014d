/** What `npm start` reads itself; the services read the rest of the environment, which they inherit. */
import { commonEnv, envInt } from '@hotrepos/config';
import { z } from 'zod';

export const StartEnv = z.object({
  NATS_URL: commonEnv.NATS_URL,
  /** For --report's connection: it provisions the streams too, and must not undo the services' replicas. */
  NATS_REPLICAS: commonEnv.NATS_REPLICAS,
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  /** Relative paths are taken from the repository root, so they do not depend on where npm was run. */
  LOG_DIR: z.string().default('.data/logs'),
  MEDIA_ROOT: z.string().default('.data/media'),
  /** The JetStream store of the nats-server started when NATS_URL is unset: reports and positions outlive a restart. */
  NATS_STORE_DIR: z.string().default('.data/nats'),
  /** The port of the nats-server started when NATS_URL is unset; 0 for any free port. Unset: 4222 when free, else any. */
  NATS_PORT: envInt().pipe(z.int().min(0).max(65_535)).optional(),
});

export type StartConfig = z.output<typeof StartEnv>;
