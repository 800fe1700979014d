/**
 * Headers every answer carries so a browser treats it as what it is: no content sniffing, no
 * framing, and for the page, scripts, styles and requests from this origin only (the page has no
 * inline script or style; its favicon is an empty `data:` URL).
 */
import type { GatewayApp } from './gateway-app.js';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
} as const;

export function registerSecurityHeaders(app: GatewayApp): void {
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
}
