import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const moduleBoundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:launcher', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
  ],
};

/** The entry points of apps that the launcher and the cross-project tests may import (see below). */
const appEntries = '^@hotrepos/(aggregator|fetcher|importer|mailer|scheduler|gateway)/(app|config)$';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/out-tsc/**', '**/node_modules/**', '.nx/**', 'docs/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { '@nx': nx },
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@hotrepos/*/src/*', '**/libs/*/src/**'], message: 'Import a lib through its public entry (@hotrepos/<lib>).' }] },
      ],
    },
  },
  {
    // The launcher (tools/start) runs every app in one process when there is no broker, so it imports
    // their start functions and env schemas. Nx forbids importing an app whatever the tags say; these
    // entry points are let through here, and for no other project.
    files: ['tools/start/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { ...moduleBoundaries, allow: [appEntries] },
      ],
    },
  },
  {
    // The cross-project tests (type:test) may start apps in process, through the same `app`/`config` entries.
    files: ['test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...moduleBoundaries, allow: [appEntries] }],
    },
  },
  {
    // The gateway's web page is a plain script that a browser runs as it is: these are its globals.
    files: ['apps/gateway/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'fetch', 'crypto', 'EventSource', 'FormData', 'URLSearchParams', 'setTimeout', 'clearTimeout'].map((name) => [name, 'readonly']),
      ),
    },
  },
);
