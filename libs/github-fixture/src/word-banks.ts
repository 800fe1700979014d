/**
 * The vocabulary the generator draws from. Weights follow roughly what new repositories on
 * GitHub look like, so group-by-language reports have a realistic long tail.
 */
import type { RepoLicense } from './full-repo.js';

export const LANGUAGES: readonly (readonly [string, number])[] = [
  ['Python', 20],
  ['TypeScript', 14],
  ['JavaScript', 11],
  ['Go', 6],
  ['Rust', 6],
  ['Java', 5],
  ['C++', 5],
  ['Jupyter Notebook', 4],
  ['C#', 3],
  ['C', 3],
  ['Shell', 3],
  ['HTML', 3],
  ['PHP', 2],
  ['Swift', 2],
  ['Kotlin', 2],
  ['Ruby', 1.5],
  ['Dart', 1.5],
  ['Vue', 1.5],
  ['Lua', 1],
  ['Zig', 1],
  ['CSS', 1],
  ['Scala', 0.5],
];

export const LICENSES: readonly (readonly [RepoLicense, number])[] = [
  [{ key: 'mit', name: 'MIT License', spdx_id: 'MIT', url: 'https://api.github.com/licenses/mit', node_id: 'MDc6TGljZW5zZTEz' }, 45],
  [{ key: 'apache-2.0', name: 'Apache License 2.0', spdx_id: 'Apache-2.0', url: 'https://api.github.com/licenses/apache-2.0', node_id: 'MDc6TGljZW5zZTI=' }, 20],
  [{ key: 'gpl-3.0', name: 'GNU General Public License v3.0', spdx_id: 'GPL-3.0', url: 'https://api.github.com/licenses/gpl-3.0', node_id: 'MDc6TGljZW5zZTk=' }, 8],
  [{ key: 'agpl-3.0', name: 'GNU Affero General Public License v3.0', spdx_id: 'AGPL-3.0', url: 'https://api.github.com/licenses/agpl-3.0', node_id: 'MDc6TGljZW5zZTE=' }, 3],
  [{ key: 'bsd-3-clause', name: 'BSD 3-Clause "New" or "Revised" License', spdx_id: 'BSD-3-Clause', url: 'https://api.github.com/licenses/bsd-3-clause', node_id: 'MDc6TGljZW5zZTU=' }, 3],
  [{ key: 'mpl-2.0', name: 'Mozilla Public License 2.0', spdx_id: 'MPL-2.0', url: 'https://api.github.com/licenses/mpl-2.0', node_id: 'MDc6TGljZW5zZTE0' }, 2],
  [{ key: 'unlicense', name: 'The Unlicense', spdx_id: 'Unlicense', url: 'https://api.github.com/licenses/unlicense', node_id: 'MDc6TGljZW5zZTE1' }, 2],
  [{ key: 'other', name: 'Other', spdx_id: 'NOASSERTION', url: null, node_id: 'MDc6TGljZW5zZTA=' }, 4],
];

export const NAME_WORDS: readonly string[] = [
  'awesome', 'fast', 'tiny', 'open', 'agent', 'llm', 'vector', 'graph', 'cloud', 'edge', 'local', 'mini', 'super', 'hyper',
  'json', 'yaml', 'http', 'grpc', 'sql', 'kv', 'cache', 'queue', 'stream', 'flow', 'pipe', 'sync', 'async', 'lite',
  'chat', 'voice', 'vision', 'search', 'index', 'crawler', 'parser', 'compiler', 'runtime', 'kernel', 'shell', 'term',
  'ui', 'kit', 'forge', 'lab', 'hub', 'desk', 'studio', 'engine', 'server', 'client', 'proxy', 'router', 'bench', 'scope',
  'notes', 'wiki', 'docs', 'auth', 'vault', 'mail', 'bot', 'dash', 'board', 'map', 'geo', 'rag', 'rl', 'diffusion', 'tts',
];

export const LOGIN_WORDS: readonly string[] = [
  'quiet', 'rapid', 'blue', 'red', 'iron', 'lunar', 'solar', 'pixel', 'byte', 'null', 'void', 'nova', 'echo', 'delta',
  'fox', 'owl', 'cat', 'wolf', 'bear', 'koi', 'lynx', 'crab', 'moth', 'yak', 'dev', 'labs', 'works', 'hq', 'ai', 'io',
  'chen', 'kim', 'garcia', 'smith', 'nguyen', 'silva', 'mueller', 'rossi', 'kowalski', 'tanaka', 'patel', 'ivanov',
];

export const TOPICS: readonly string[] = [
  'ai', 'llm', 'machine-learning', 'deep-learning', 'python', 'typescript', 'javascript', 'rust', 'golang', 'react',
  'nextjs', 'vue', 'nodejs', 'cli', 'terminal', 'devtools', 'database', 'sqlite', 'postgres', 'kubernetes', 'docker',
  'self-hosted', 'privacy', 'security', 'automation', 'agents', 'rag', 'openai', 'anthropic', 'ollama', 'webassembly',
  'game', 'gamedev', 'android', 'ios', 'macos', 'linux', 'windows', 'embedded', 'iot', 'robotics', 'computer-vision',
  'nlp', 'speech', 'data-science', 'visualization', 'api', 'sdk', 'framework', 'library', 'awesome-list', 'tutorial',
];

export const DESCRIPTION_OPENINGS: readonly string[] = [
  'A blazing fast', 'A minimal', 'An opinionated', 'A self-hosted', 'A type-safe', 'A lightweight', 'The missing',
  'An experimental', 'A batteries-included', 'A zero-dependency', 'A production-ready', 'A tiny', 'An open-source',
];

export const DESCRIPTION_SUBJECTS: readonly string[] = [
  'agent framework', 'vector database', 'terminal UI toolkit', 'static site generator', 'HTTP client', 'job queue',
  'code search engine', 'notes app', 'LLM gateway', 'game engine', 'web scraper', 'password manager', 'CSV parser',
  'Kubernetes operator', 'Markdown editor', 'image upscaler', 'speech-to-text pipeline', 'RSS reader', 'chat UI',
];

export const DESCRIPTION_TAILS: readonly string[] = [
  'for developers who hate boilerplate.', 'built on top of WebAssembly.', 'that runs entirely in your browser.',
  'with first-class TypeScript support.', 'written in a weekend, maintained for years.', 'powered by local models.',
  'designed for tiny devices.', 'with plugins, themes, and a CLI.', 'that just works.', 'inspired by Plan 9.',
];

/** Descriptions that exercise CSV quoting and formula neutralisation downstream: quotes, commas, line breaks, leading = + - @. */
export const AWKWARD_DESCRIPTIONS: readonly string[] = [
  'Says "hello", then "goodbye"; quotes, commas, and semicolons in one line',
  'First line\nsecond line, after a line feed',
  'Windows line ending:\r\nstill the same description',
  'Tab\tseparated, "quoted" and trailing space ',
  'Unicode: 日本語のリポジトリ, emoji 🚀✨, accents café',
  '',
];

export const FORMULA_DESCRIPTIONS: readonly string[] = [
  '=HYPERLINK("http://example.invalid","click me")',
  '=1+2, a formula in disguise',
  '+1 for performance: a faster fork of everything',
  '+cmd|\' /C calc\'!A0',
  '-- the unofficial SDK, now with types',
  '-2+3 tooling for spreadsheet nerds',
  '@mention bot for Slack, Discord, and Matrix',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
];
