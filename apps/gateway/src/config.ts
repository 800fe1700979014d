import { envDurationMs, envInt } from '@hotrepos/config';
import { z } from 'zod';

export const MAX_RECENT_LIMIT = 100;

export const GatewayEnv = z.object({
  GATEWAY_PORT: envInt().pipe(z.int().min(0).max(65_535)).default(3000),
  GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
  /** Largest request body in bytes; a bigger one gets 400 `BODY_TOO_LARGE`. A report request is well under 2 KB. */
  GATEWAY_BODY_LIMIT: envInt().pipe(z.int().min(256).max(1024 * 1024)).default(16 * 1024),
  /** Reports `GET /api/reports` lists without `?limit=`. */
  GATEWAY_RECENT_LIMIT: envInt().pipe(z.int().min(1).max(MAX_RECENT_LIMIT)).default(20),
  /** How often an open event stream gets a `: keep-alive` comment, so proxies do not cut it as idle. */
  GATEWAY_SSE_KEEPALIVE: envDurationMs().pipe(z.int().min(100)).default(15_000),
  /** Event streams (each a KV watch) this replica keeps open at once; one more gets 503 `TOO_MANY_STREAMS`. */
  GATEWAY_SSE_MAX_STREAMS: envInt().pipe(z.int().min(1)).default(1000),
  /** The web page's folder (`index.html`, `assets/`); the package's `public/` (or the one beside the bundle) when unset. */
  GATEWAY_PUBLIC_DIR: z.string().min(1).optional(),
});

export type GatewayConfig = z.output<typeof GatewayEnv>;
