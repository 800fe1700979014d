/**
 * `npm start -- --report week`: asks for one report and logs where its file went. On the
 * in-process transport this is the only way to ask: no client outside the process can reach it.
 */
import type { Transport } from '@hotrepos/bus';
import { requestReport, waitForReport } from '@hotrepos/client';
import type { ReportPeriod } from '@hotrepos/contracts';
import type { Logger } from '@hotrepos/logging';
import { createHotBus } from '@hotrepos/runtime';

export async function reportOnce(transport: Transport, period: ReportPeriod, { signal, logger }: { signal: AbortSignal; logger: Logger }): Promise<void> {
  try {
    // The request is kept in its stream, so it may well be published before the aggregator is up.
    const bus = await createHotBus(transport, { service: 'start', logger });
    const { reportId } = await requestReport(bus, { period });
    logger.info({ reportId, period }, 'report requested');
    const status = await waitForReport(transport, reportId, { signal });
    logger.info({ reportId, file: status.file?.path }, 'report ready');
  } catch (err) {
    if (!signal.aborted) logger.error({ err }, 'report failed');
  }
}
