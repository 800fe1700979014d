/** The CSV from the object store, streamed with its headers, and read back as language groups. */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, status, storeReady, type Harness } from './harness.js';

const GROUPED = 'Rust,a/one,b/two\r\n"C ""quoted"", with comma",c/three\r\nPython,d/four,e/five,f/six\r\n';
const DETAILED = 'language,name,stars,url\r\nRust,a/one,10,https://github.com/a/one\r\nPython,d/four,9,https://github.com/d/four\r\nRust,b/two,8,https://github.com/b/two\r\n';

describe('report file and languages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('streams the stored bytes with content type, disposition, length and ETag', async () => {
    // Past one object-store chunk (128 KB), with a UTF-8 name in it.
    const csv = Buffer.concat([Buffer.from('Rust,ünïcödé/日本語\r\n'), Buffer.from(randomBytes(300 * 1024).toString('hex'))]);
    const ready = await storeReady(h, 'file-1', csv);
    const res = await fetch(`${h.url}/api/reports/file-1/file`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="github-hot-repos-2026-11-20.csv"');
    expect(res.headers.get('content-length')).toBe(String(csv.byteLength));
    expect(res.headers.get('etag')).toBe(`"${createHash('sha256').update(csv).digest('hex')}"`);
    expect(Buffer.from(await res.arrayBuffer()).equals(csv)).toBe(true);

    const again = await fetch(`${h.url}/api/reports/file-1/file`, { headers: { 'if-none-match': `"${ready.file!.sha256}"` } });
    expect(again.status).toBe(304);
  });

  it('answers 409 before the report is ready, 404 for an unknown one', async () => {
    await h.statuses.create(status('file-busy', { state: 'importing' }));
    for (const path of ['file', 'languages']) {
      const busy = await fetch(`${h.url}/api/reports/file-busy/${path}`);
      expect(busy.status).toBe(409);
      expect(await busy.json()).toEqual({ error: { code: 'REPORT_NOT_READY', message: expect.stringContaining('importing'), requestId: busy.headers.get('x-request-id') } });
      const unknown = await fetch(`${h.url}/api/reports/file-nobody/${path}`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('REPORT_NOT_FOUND');
    }
  });

  it('reads the grouped format: a row per language, no header', async () => {
    await storeReady(h, 'lang-grouped', GROUPED);
    const res = await fetch(`${h.url}/api/reports/lang-grouped/languages`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      reportId: 'lang-grouped',
      groups: [
        { language: 'Rust', count: 2, repos: ['a/one', 'b/two'] },
        { language: 'C "quoted", with comma', count: 1, repos: ['c/three'] },
        { language: 'Python', count: 3, repos: ['d/four', 'e/five', 'f/six'] },
      ],
    });
  });

  it('reads the detailed format: a header, a row per repository, grouped in order of appearance', async () => {
    await storeReady(h, 'lang-detailed', DETAILED);
    const res = await fetch(`${h.url}/api/reports/lang-detailed/languages`);
    expect(await res.json()).toEqual({
      reportId: 'lang-detailed',
      groups: [
        { language: 'Rust', count: 2, repos: ['a/one', 'b/two'] },
        { language: 'Python', count: 1, repos: ['d/four'] },
      ],
    });
  });

  it('a ready report whose file is gone from the object store is a 500, reported', async () => {
    const ready = await storeReady(h, 'file-gone', GROUPED);
    await h.reports.delete(ready.file!.objectKey);
    const res = await fetch(`${h.url}/api/reports/file-gone/file`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
    expect(h.logs.find((l) => l.msg === 'request failed')).toMatchObject({ err: { code: 'REPORT_FILE_MISSING' } });
  });

  it('a stored object that is not the file the status names is a 500 before any byte of it goes out', async () => {
    const ready = await storeReady(h, 'file-replaced', GROUPED);
    await h.reports.put(ready.file!.objectKey, new TextEncoder().encode('x,y\r\n'));
    const res = await fetch(`${h.url}/api/reports/file-replaced/file`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(h.logs.filter((l) => l.msg === 'request failed').at(-1)).toMatchObject({ err: { code: 'REPORT_INTEGRITY' } });
  });
});
