/** Variables every service reads; apps spread this shape into their own schema: `z.object({ ...commonEnv, PORT: envInt() })`. */
import { z } from 'zod';
import { envInt } from './coercions.js';

const natsServer = z.url({ protocol: /^(nats|tls)$/ });
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export const commonEnv = {
  /** One server or a comma-separated seed list: `nats://a:4222,tls://b:4222`. */
  NATS_URL: z
    .string()
    .refine((value) => value.split(',').every((server) => natsServer.safeParse(server.trim()).success), 'Invalid URL')
    .optional(),
  /** Replicas of every stream and bucket on a NATS cluster; every service must say the same, as each provisions them. */
  NATS_REPLICAS: envInt().pipe(z.int().min(1).max(5)).default(1),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  LOG_DIR: z.string().default('./logs'),
  SERVICE_NAME: z.string().optional(),
};
