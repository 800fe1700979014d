/**
 * `hotrepos report --wait` as a real process while nats-server restarts in the middle of the report
 * (same port, same store, a few seconds down): the wait rides out the outage and ends with the
 * report, not with exit 4. The test plays the aggregator by writing the report's status itself.
 */
import { NatsTransport } from '@hotrepos/bus';
import type { ReportStatus } from '@hotrepos/contracts';
import { ReportStatusStore } from '@hotrepos/reports';
import { repoRoot, startNatsServer, startProcess, type NatsServer, type RunningProcess } from '@hotrepos/testing';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';

const REPORT_ID = 'cli-outage';
// As long as a broker restart takes; the CLI used to give up at once.
const OUTAGE_MS = 3_000;

describe('hotrepos report --wait across a nats-server restart', () => {
  let nats: NatsServer | undefined;
  let cli: RunningProcess | undefined;
  let storeDir: string | undefined;

  afterAll(async () => {
    await cli?.stop('SIGTERM');
    await nats?.stop();
    if (storeDir) await rm(storeDir, { recursive: true, force: true });
  });

  // The aggregator's part: each write on a connection of its own, so the CLI's connection is the only one that must come back.
  const write = async (server: NatsServer, change: (s: ReportStatus | undefined) => ReportStatus) => {
    const transport = await NatsTransport.connect({ servers: server.url, name: 'cli-outage-aggregator' });
    try {
      const statuses = await ReportStatusStore.open(transport);
      const current = await statuses.get(REPORT_ID);
      if (current) await statuses.update(REPORT_ID, () => change(current));
      else await statuses.create(change(undefined));
    } finally {
      await transport.close();
    }
  };
  const status = (state: ReportStatus['state'], pagesDone: number): ReportStatus => ({
    reportId: REPORT_ID,
    state,
    pagesDone,
    pagesTotal: 5,
    period: 'week',
    since: '2026-11-20',
    updatedAt: new Date(Date.UTC(2026, 10, 27, 12, 0, pagesDone)).toISOString(),
  });

  it('keeps waiting while NATS is down and ends with the report', async () => {
    nats = await startNatsServer();
    ({ storeDir } = nats);
    const { port, url } = nats;
    cli = startProcess({
      name: 'hotrepos report --wait',
      command: 'npm',
      args: ['run', '--silent', 'hotrepos', '--', 'report', '--period', 'week', '--date', '2026-11-27', '--request-id', REPORT_ID, '--wait', '--timeout', '90s', '--nats', url],
      cwd: repoRoot,
    });
    await cli.waitForOutput(`${REPORT_ID}\n`);
    await write(nats, () => status('queued', 0));
    await write(nats, () => status('fetching', 1));
    await cli.waitForOutput('fetching 1/5 pages\n');

    await nats.stop({ keepStore: true });
    await cli.waitForOutput(`lost the connection to NATS at ${url}; waiting for it to come back, up to --timeout 90s\n`);
    await sleep(OUTAGE_MS);
    nats = await startNatsServer({ port, storeDir });
    // Written as soon as the broker is back, likely before the CLI has reconnected: it reads it when it has.
    await write(nats, () => status('fetching', 3));
    await cli.waitForOutput(`reconnected to NATS at ${url}; following report ${REPORT_ID} again\n`);
    await cli.waitForOutput('fetching 3/5 pages\n');
    await write(nats, () => status('aggregating', 5));
    await write(nats, () => status('ready', 5));

    const { code } = await cli.exited;
    expect(code, cli.output()).toBe(ExitCode.Ok);
    expect(cli.output()).toMatch(/fetching 1\/5 pages\n[^]*fetching 3\/5 pages\n[^]*ready 5\/5 pages\n$/);
  });
});
