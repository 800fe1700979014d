/**
 * The report page: asks the gateway for a report, follows it live (Server-Sent Events, polling
 * when they fail), then offers the CSV and the languages. No framework and no build step: the
 * gateway serves this file as it is. Everything the server sends is put in with textContent,
 * never as HTML.
 */

const FINAL_STATES = new Set(['ready', 'failed']);
const POLL_MS = 1_000;
// The event stream waits for a status that may never come (an expired or mistyped link): without
// one by then, polling takes over, and polling gives up on a report that is not found.
const FIRST_STATUS_MS = 5_000;
const NOT_FOUND_TRIES = 10;
const TOP_REPOS = 3;
const RECENT_LIMIT = 10;

const STATE_TEXT = {
  queued: 'Queued',
  fetching: 'Fetching from GitHub',
  aggregating: 'Grouping by language',
  importing: 'Writing the CSV',
  ready: 'Ready',
  failed: 'Failed',
};
// Short forms for the recent list's badges.
const STATE_BADGE = { queued: 'Queued', fetching: 'Fetching', aggregating: 'Grouping', importing: 'Writing', ready: 'Ready', failed: 'Failed' };
const STAGE_TEXT = { request: 'checking the request', fetch: 'fetching from GitHub', aggregate: 'grouping by language', import: 'writing the file' };

const $ = (id) => document.getElementById(id);
const form = $('report-form');
const button = $('generate');
const dateInput = $('ref-date');

/** The report on show: `{ id, stop }`. Showing another one stops following this one. */
let following;
let busy = false;

class ApiError extends Error {
  constructor(message, status, code, requestId) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

const reportUrl = (id, suffix = '') => `/api/reports/${encodeURIComponent(id)}${suffix}`;

/** JSON from the gateway; a 4xx/5xx becomes an ApiError carrying the server's own message. */
async function api(url, init = {}) {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  const body = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = body?.error;
    throw new ApiError(error?.message ?? `The server answered ${res.status} ${res.statusText}.`, res.status, error?.code, error?.requestId);
  }
  return body;
}

/** A UUID v4 for Idempotency-Key: crypto.randomUUID exists only on HTTPS and localhost. */
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A network error is retried once with the same key, so the gateway answers with the report the first try made. */
async function postReport(request) {
  const init = { method: 'POST', body: JSON.stringify(request), headers: { 'content-type': 'application/json', 'idempotency-key': newKey() } };
  try {
    return await api('/api/reports', init);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    return api('/api/reports', init);
  }
}

function setBusy(value) {
  busy = value;
  button.disabled = value;
  button.textContent = value ? 'Generating…' : 'Generate report';
  form.setAttribute('aria-busy', String(value));
}

function showError(problem) {
  const box = $('error');
  box.replaceChildren();
  box.hidden = !problem;
  if (!problem) return;
  box.append(typeof problem === 'string' ? problem : problem.message);
  if (problem.requestId) {
    const ref = document.createElement('small');
    ref.textContent = `Request id: ${problem.requestId}`;
    box.append(ref);
  }
}

/** Pages are most of the work; joining and writing are the last tenth, so 100% means the file exists. */
function percent({ state, pagesDone, pagesTotal }) {
  if (state === 'ready') return 100;
  const fetched = pagesTotal > 0 ? Math.round((90 * pagesDone) / pagesTotal) : 0;
  const after = { aggregating: 3, importing: 6 }[state] ?? 0;
  return Math.min(fetched + after, 99);
}

function renderProgress(status) {
  const value = percent(status);
  const pages = status.pagesTotal > 0 ? `${status.pagesDone} of ${status.pagesTotal} pages` : '';
  const text = [STATE_TEXT[status.state] ?? status.state, pages].filter(Boolean).join(': ');
  const bar = $('progress');
  bar.setAttribute('aria-valuenow', String(value));
  bar.setAttribute('aria-valuetext', text);
  bar.style.setProperty('--value', `${value}%`);
  bar.dataset.state = status.state;
  $('progress-text').textContent = `${text} (${value}%)`;
  $('progress-section').hidden = false;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function element(tag, text, attrs = {}) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  return el;
}

function repoList(names, start) {
  const list = element('ol', undefined, { start: String(start) });
  for (const name of names) {
    const item = element('li');
    item.append(element('a', name, { href: `https://github.com/${name.split('/').map(encodeURIComponent).join('/')}`, rel: 'noopener noreferrer' }));
    list.append(item);
  }
  return list;
}

/** The top few repositories at once; the rest behind a native disclosure, which needs no script to open. */
function languageRow({ language, count, repos }) {
  const row = element('tr', undefined, { 'data-language': language });
  const reposCell = element('td');
  reposCell.append(repoList(repos.slice(0, TOP_REPOS), 1));
  if (repos.length > TOP_REPOS) {
    const more = element('details');
    more.append(element('summary', `${repos.length - TOP_REPOS} more`), repoList(repos.slice(TOP_REPOS), TOP_REPOS + 1));
    reposCell.append(more);
  }
  row.append(element('th', language, { scope: 'row' }), element('td', String(count), { class: 'count' }), reposCell);
  return row;
}

function showResult(status, groups) {
  const file = status.file;
  const link = $('download');
  link.href = reportUrl(status.reportId, '/file');
  link.setAttribute('download', file?.name ?? '');
  link.textContent = file ? `Download ${file.name} (${formatBytes(file.bytes)})` : 'Download CSV';
  const total = groups.reduce((n, g) => n + g.count, 0);
  const summary = $('result-summary');
  summary.replaceChildren(plural(total, 'repository', 'repositories'));
  if (status.since) summary.append(' created since ', element('time', status.since, { datetime: status.since }));
  summary.append(`, in ${plural(groups.length, 'language', 'languages')}.`);
  $('languages').tBodies[0].replaceChildren(...groups.map(languageRow));
  $('result').hidden = false;
}

async function finished(status) {
  setBusy(false);
  void refreshRecent();
  if (status.state === 'failed') {
    const { stage, message } = status.error ?? {};
    showError(`The report failed${stage ? ` while ${STAGE_TEXT[stage] ?? stage}` : ''}: ${message ?? 'no reason given'}`);
    return;
  }
  try {
    const { groups } = await api(reportUrl(status.reportId, '/languages'));
    // Another report may have been picked while the languages were on their way.
    if (following?.id === status.reportId) showResult(status, groups);
  } catch (err) {
    showError(err);
  }
}

/**
 * Shows a report and follows it until it is ready or failed. The form is busy only while a report
 * this page asked for runs (`submitted`), not while one merely linked to is on show.
 */
function follow(id, { submitted = false } = {}) {
  following?.stop();
  let stopped = false;
  let source;
  let timer;
  let firstStatusTimer;
  let polling = false;
  const stop = () => {
    stopped = true;
    source?.close();
    clearTimeout(timer);
    clearTimeout(firstStatusTimer);
  };
  following = { id, stop };
  history.replaceState(null, '', `#report=${encodeURIComponent(id)}`);
  setBusy(submitted);
  showError();
  $('result').hidden = true;
  renderProgress({ state: 'queued', pagesDone: 0, pagesTotal: 0 });

  const onStatus = (status) => {
    if (stopped) return;
    showError();
    renderProgress(status);
    if (FINAL_STATES.has(status.state)) {
      stop();
      void finished(status);
    }
  };
  let misses = 0;
  const poll = async () => {
    try {
      onStatus(await api(reportUrl(id)));
    } catch (err) {
      if (stopped) return;
      // A report just asked for has no status until the aggregator takes it up: a 404 is given a few tries.
      const notFound = err instanceof ApiError && err.status === 404;
      const notYet = notFound && ++misses < NOT_FOUND_TRIES;
      if (notFound && !notYet) {
        showError(new ApiError(`Report ${id} was not found: it may have expired, or the link may be mistyped.`, err.status, err.code, err.requestId));
      } else if (!notYet) showError(err);
      // Any other 4xx will not get better; a 5xx or a network error may.
      if (err instanceof ApiError && err.status < 500 && !notYet) {
        stop();
        setBusy(false);
        return;
      }
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  // Closed here, or the browser would reconnect and replay on its own schedule; polling takes over.
  const fallBackToPolling = () => {
    source.close();
    clearTimeout(firstStatusTimer);
    if (stopped || polling) return;
    polling = true;
    void poll();
  };

  source = new EventSource(reportUrl(id, '/events'));
  source.addEventListener('status', (event) => {
    clearTimeout(firstStatusTimer);
    onStatus(JSON.parse(event.data));
  });
  source.onerror = fallBackToPolling;
  firstStatusTimer = setTimeout(fallBackToPolling, FIRST_STATUS_MS);
}

function recentItem(status) {
  const item = element('li', undefined, { 'data-report-id': status.reportId, 'data-state': status.state });
  const title = status.period && status.since ? `${capitalize(status.period)} since ${status.since}` : status.reportId;
  item.append(element('a', title, { href: `#report=${encodeURIComponent(status.reportId)}` }));
  item.append(' ', element('span', STATE_BADGE[status.state] ?? status.state, { class: `state state-${status.state}` }));
  if (status.state === 'ready') item.append(' ', element('a', 'CSV', { href: reportUrl(status.reportId, '/file'), download: status.file?.name ?? '' }));
  const when = status.createdAt ?? status.updatedAt;
  if (when) item.append(element('time', new Date(when).toLocaleString(), { datetime: when }));
  return item;
}

async function refreshRecent() {
  try {
    const { reports } = await api(`/api/reports?limit=${RECENT_LIMIT}`);
    $('recent-list').replaceChildren(...reports.map(recentItem));
    $('recent-empty').hidden = reports.length > 0;
  } catch {
    // The list is secondary: the one already shown stays, and the next report refreshes it.
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  // The button is disabled at once, but Enter in a field or a script can still submit twice.
  if (busy) return;
  setBusy(true);
  showError();
  // A new request replaces whatever report was on show, also when the request is refused.
  following?.stop();
  following = undefined;
  history.replaceState(null, '', location.pathname);
  $('progress-section').hidden = true;
  $('result').hidden = true;
  const data = new FormData(form);
  try {
    // An empty date is no date: the gateway then takes today (UTC), where "" would be refused.
    const refDate = data.get('refDate');
    const created = await postReport({ period: data.get('period'), ...(refDate ? { refDate } : {}) });
    follow(created.reportId, { submitted: true });
    void refreshRecent();
  } catch (err) {
    setBusy(false);
    showError(err);
  }
});

const reportInHash = () => new URLSearchParams(location.hash.slice(1)).get('report');
window.addEventListener('hashchange', () => {
  const id = reportInHash();
  if (id && id !== following?.id) follow(id);
});

// The gateway counts days in UTC; a local date can be a day ahead and would be refused as in the future.
const today = new Date().toISOString().slice(0, 10);
dateInput.max = today;
dateInput.value = today;

const PERIOD_DAYS = { day: 1, week: 7, month: 30 };
// Said with the dates themselves: the search takes every repository created on or after the day a
// period before the chosen one, with no end, which a count of days "up to this date" misreads.
function describeCoverage() {
  const period = new FormData(form).get('period');
  const ref = Date.parse(`${dateInput.value || today}T00:00:00Z`);
  if (!(period in PERIOD_DAYS) || Number.isNaN(ref)) return;
  const since = new Date(ref - PERIOD_DAYS[period] * 86_400_000).toISOString().slice(0, 10);
  $('ref-date-hint').textContent = `Repositories created on or after ${since} (UTC), ${plural(PERIOD_DAYS[period], 'day', 'days')} before this date, most stars first.`;
}
form.addEventListener('input', describeCoverage);
describeCoverage();

void refreshRecent();
const linked = reportInHash();
if (linked) follow(linked);
