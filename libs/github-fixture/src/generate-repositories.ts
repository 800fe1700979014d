/**
 * Generates the full, sorted list of repositories "created on or after `since`" for one day.
 * Everything is drawn from a PRNG seeded by the day, so the same day always yields the same list.
 */
import type { FullRepo, RepoOwner } from './full-repo.js';
import { Prng } from './prng.js';
import { DAY_MS } from './since-date.js';
import {
  AWKWARD_DESCRIPTIONS,
  DESCRIPTION_OPENINGS,
  DESCRIPTION_SUBJECTS,
  DESCRIPTION_TAILS,
  FORMULA_DESCRIPTIONS,
  LANGUAGES,
  LICENSES,
  LOGIN_WORDS,
  NAME_WORDS,
  TOPICS,
} from './word-banks.js';

const API = 'https://api.github.com';
const WEB = 'https://github.com';
const GITHUB_EPOCH_MS = Date.UTC(2008, 0, 1);
// Roughly how many repository ids GitHub hands out per day, so ids grow with the date like real ones.
const IDS_PER_DAY = 160_000;
const ID_STRIDE = 40;
const CREATION_SPREAD_MS = 30 * DAY_MS;

const MIN_TOTAL_COUNT = 1200;
const MAX_TOTAL_COUNT = 5000;

/** Sorted by stars desc, then id asc: the order of `sort=stars&order=desc`. */
export function generateRepositories(since: string, sinceMs: number, totalCount: number | undefined): FullRepo[] {
  const prng = Prng.fromString(`github-fixture:${since}`);
  const total = totalCount ?? prng.int(MIN_TOTAL_COUNT, MAX_TOTAL_COUNT);
  const owners = new OwnerPool(prng, Math.max(1, Math.ceil(total * 0.6)));
  const fullNames = new Set<string>();
  const baseId = Math.max(1, 100_000_000 + Math.floor((sinceMs - GITHUB_EPOCH_MS) / DAY_MS) * IDS_PER_DAY);

  const repos: FullRepo[] = [];
  for (let i = 0; i < total; i++) {
    const owner = owners.pick();
    let name = repoName(prng);
    if (fullNames.has(`${owner.login}/${name}`)) name = `${name}-${i}`;
    fullNames.add(`${owner.login}/${name}`);
    // Ids and creation times both grow with i, as they do on GitHub.
    const id = baseId + i * ID_STRIDE + prng.int(0, ID_STRIDE - 1);
    const createdMs = sinceMs + Math.floor(((i + prng.next()) / total) * CREATION_SPREAD_MS);
    repos.push(repo(prng, { id, owner, name, createdMs }));
  }
  return repos.sort((a, b) => b.stargazers_count - a.stargazers_count || a.id - b.id);
}

class OwnerPool {
  private readonly owners = new Map<number, RepoOwner>();
  private readonly logins = new Set<string>();
  private readonly ids = new Set<number>();

  constructor(
    private readonly prng: Prng,
    private readonly size: number,
  ) {}

  pick(): RepoOwner {
    const index = this.prng.int(0, this.size - 1);
    let owner = this.owners.get(index);
    if (!owner) {
      owner = this.create();
      this.owners.set(index, owner);
    }
    return owner;
  }

  private create(): RepoOwner {
    const prng = this.prng;
    let login = prng.pick(LOGIN_WORDS) + prng.pick(['', '-', '']) + prng.pick(LOGIN_WORDS);
    if (prng.chance(0.3)) login += String(prng.int(1, 999));
    while (this.logins.has(login)) login += String(prng.int(0, 9));
    this.logins.add(login);
    let id = prng.int(1, 190_000_000);
    while (this.ids.has(id)) id = prng.int(1, 190_000_000);
    this.ids.add(id);
    const organization = prng.chance(0.2);
    const user = `${API}/users/${login}`;
    return {
      login,
      id,
      node_id: `${organization ? 'O' : 'U'}_kgDO${base64Id(id)}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: user,
      html_url: `${WEB}/${login}`,
      followers_url: `${user}/followers`,
      following_url: `${user}/following{/other_user}`,
      gists_url: `${user}/gists{/gist_id}`,
      starred_url: `${user}/starred{/owner}{/repo}`,
      subscriptions_url: `${user}/subscriptions`,
      organizations_url: `${user}/orgs`,
      repos_url: `${user}/repos`,
      events_url: `${user}/events{/privacy}`,
      received_events_url: `${user}/received_events`,
      type: organization ? 'Organization' : 'User',
      user_view_type: 'public',
      site_admin: false,
    };
  }
}

function repoName(prng: Prng): string {
  const words = prng.int(1, 3);
  const parts: string[] = [];
  for (let w = 0; w < words; w++) parts.push(prng.pick(NAME_WORDS));
  const name = parts.join(prng.pick(['-', '-', '_', '']));
  return name + prng.pick(['', '', '', '', '.nvim', '-rs', '.py', '-js', '-go', '2', '.github.io']);
}

function repo(prng: Prng, { id, owner, name, createdMs }: { id: number; owner: RepoOwner; name: string; createdMs: number }): FullRepo {
  const fullName = `${owner.login}/${name}`;
  const api = `${API}/repos/${fullName}`;
  const html = `${WEB}/${fullName}`;
  // A Pareto tail: most repositories have a few dozen stars, a handful have tens of thousands.
  const stars = Math.min(250_000, Math.floor(15 * Math.pow(1 - prng.next(), -1 / 1.2)));
  const forks = Math.floor(stars * (0.02 + 0.15 * prng.next()));
  const openIssues = Math.floor(stars * 0.01 * prng.next()) + prng.int(0, 5);
  const updatedMs = createdMs + prng.int(60, 20 * 86_400);
  const pushedMs = createdMs + prng.int(0, 20 * 86_400);
  const homepage = prng.pickWeighted<string | null>([
    [null, 4],
    ['', 2],
    [`https://${owner.login}.github.io/${name}/`, 2],
    [`https://${name.replace(/[^a-z0-9-]/g, '')}.dev`, 2],
  ]);
  const language = prng.chance(0.08) ? null : prng.pickWeighted(LANGUAGES);
  const license = prng.chance(0.25) ? null : prng.pickWeighted(LICENSES);
  return {
    id,
    node_id: `R_kgDO${base64Id(id)}`,
    name,
    full_name: fullName,
    private: false,
    owner,
    html_url: html,
    description: description(prng),
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: timestamp(createdMs),
    updated_at: timestamp(updatedMs),
    pushed_at: timestamp(pushedMs),
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage,
    size: Math.floor(Math.exp(prng.next() * 12)),
    stargazers_count: stars,
    watchers_count: stars,
    language,
    has_issues: prng.chance(0.97),
    has_projects: prng.chance(0.9),
    has_downloads: true,
    has_wiki: prng.chance(0.6),
    has_pages: homepage?.includes('.github.io') ?? false,
    has_discussions: prng.chance(0.15),
    forks_count: forks,
    mirror_url: null,
    archived: prng.chance(0.02),
    disabled: false,
    open_issues_count: openIssues,
    license,
    allow_forking: true,
    is_template: prng.chance(0.03),
    web_commit_signoff_required: false,
    topics: topics(prng),
    visibility: 'public',
    forks,
    open_issues: openIssues,
    watchers: stars,
    default_branch: prng.pickWeighted([
      ['main', 85],
      ['master', 13],
      ['develop', 2],
    ]),
    score: 1,
  };
}

function description(prng: Prng): string | null {
  const roll = prng.next();
  if (roll < 0.08) return null;
  if (roll < 0.12) return prng.pick(FORMULA_DESCRIPTIONS);
  if (roll < 0.18) return prng.pick(AWKWARD_DESCRIPTIONS);
  let text = `${prng.pick(DESCRIPTION_OPENINGS)} ${prng.pick(DESCRIPTION_SUBJECTS)} ${prng.pick(DESCRIPTION_TAILS)}`;
  if (prng.chance(0.4)) text += ` ${prng.pick(DESCRIPTION_OPENINGS)} ${prng.pick(DESCRIPTION_SUBJECTS)}, ${prng.pick(DESCRIPTION_TAILS)}`;
  return text;
}

function topics(prng: Prng): string[] {
  if (prng.chance(0.35)) return [];
  const count = prng.int(1, 10);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(prng.pick(TOPICS));
  // GitHub returns topics sorted alphabetically.
  return [...chosen].sort();
}

function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Like the tail of GitHub's newer node ids: the numeric id, base64 without padding. */
function base64Id(id: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(id >>> 0);
  return bytes.toString('base64url').replace(/=+$/, '');
}
