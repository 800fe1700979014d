/**
 * Turns failures into `errors.report` events for the admins: messages a handler gave up on (dead
 * letters) and crashes of the process. The mailer groups them by fingerprint into digests, so the
 * fingerprint must be equal for "the same error" and differ otherwise: ids, numbers and quoted
 * values are masked before hashing, so `report abc-123 failed` and `report def-456 failed` match.
 */
import type { DeadLetterEvent } from '@hotrepos/bus';
import { Subjects, type ErrorReportHttp } from '@hotrepos/contracts';
import type { Logger } from '@hotrepos/logging';
import { createHash } from 'node:crypto';
import type { HotBus } from './hot-bus.js';

export interface ErrorReporter {
  /** For `createHotBus({ onDeadLetter })`. */
  deadLetter(event: DeadLetterEvent): Promise<void>;
  /** Reports a crash, waiting at most `timeoutMs` for the broker before giving up. */
  crash(err: unknown, origin: string, timeoutMs?: number): Promise<void>;
  /**
   * Reports a failure that answered an HTTP request with a 5xx. The fingerprint holds the method
   * and route pattern but not the request id, so one broken route is one digest line. Never throws.
   */
  httpError(err: unknown, http: ErrorReportHttp): Promise<void>;
}

const MAX_MESSAGE = 2_000;
const MAX_STACK = 8_000;

export function errorFingerprint(parts: readonly (string | undefined)[]): string {
  const normalised = parts.map((p) =>
    (p ?? '')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
      .replace(/"[^"]*"|'[^']*'/g, '<value>')
      .replace(/\b[\w.-]*\d[\w.-]*\b/g, '<id>'),
  );
  return createHash('sha256').update(normalised.join('\u0000')).digest('hex').slice(0, 16);
}

export function createErrorReporter({ service, bus, logger }: { service: string; bus: () => HotBus | undefined; logger: Logger }): ErrorReporter {
  const publish = async (subject: string | undefined, err: { message: string; stack?: string | undefined }, kind: string, http?: ErrorReportHttp) => {
    const current = bus();
    if (!current) return;
    await current.publish(Subjects.ErrorsReport, {
      service,
      ...(subject ? { subject } : {}),
      message: err.message.slice(0, MAX_MESSAGE),
      ...(err.stack ? { stack: err.stack.slice(0, MAX_STACK) } : {}),
      fingerprint: errorFingerprint(http ? [service, kind, `${http.method} ${http.route}`, err.message] : [service, subject, kind, err.message]),
      occurredAt: new Date().toISOString(),
      ...(http ? { http } : {}),
    });
  };

  return {
    async deadLetter(event) {
      const stack = event.cause instanceof Error ? event.cause.stack : undefined;
      try {
        await publish(event.subject, { message: `${event.reason}: ${event.error}`, stack }, event.reason);
      } catch (err) {
        logger.error({ err }, 'could not publish errors.report for a dead letter');
      }
    },
    async httpError(err, http) {
      const error = err instanceof Error ? err : new Error(String(err));
      try {
        await publish(undefined, { message: `${http.method} ${http.route}: ${error.message}`, stack: error.stack }, 'http', http);
      } catch (publishErr) {
        logger.error({ err: publishErr, requestId: http.requestId }, 'could not publish errors.report for an HTTP error');
      }
    },
    async crash(err, origin, timeoutMs = 2_000) {
      const error = err instanceof Error ? err : new Error(String(err));
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          publish(undefined, { message: `${origin}: ${error.message}`, stack: error.stack }, origin),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no broker answer within ${timeoutMs} ms`)), timeoutMs))),
        ]);
      } catch (publishErr) {
        logger.error({ err: publishErr }, 'could not publish errors.report for the crash');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
