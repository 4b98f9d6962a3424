// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The library's layers, lowest first: a folder may import from the folders before it, never from
 * those after it (or from the module files at the top of src/). The request's journey reads
 * sign-in → token acquisition → token cache → downstream API → consent; the dependencies run the
 * other way round where a later step serves an earlier one (sign-in redeems its code through
 * token acquisition, which keeps tokens in the token cache).
 */
const LIBRARY = './packages/identity-web/src';
const LAYERS = [
  'browser', // code for the app's pages, served by the account routes: imports nothing
  'errors',
  'http',
  'options',
  'token-cache',
  'token-acquisition',
  'sign-in',
  'downstream-api',
  'consent',
  'worker', // token acquisition outside a request: the core built without Nest's container
];
const MODULE_FILES = `${LIBRARY}/*.ts`;
const layerZones = LAYERS.map((layer, index) => ({
  target: `${LIBRARY}/${layer}/**`,
  from: [...LAYERS.slice(index + 1).map((higher) => `${LIBRARY}/${higher}/**`), MODULE_FILES],
  message: `${layer}/ sits below ${LAYERS.slice(index + 1).join(', ')} and the module files: import downwards only (see eslint.config.mjs).`,
}));
/**
 * The two front doors sit on top: the Nest module (the module files) and the plain Express entry
 * point (express/), which builds the same classes without Nest's container and shares the error
 * filter with the module. Nothing below imports the Express entry point, and it never uses the module.
 */
const EXPRESS = `${LIBRARY}/express/**`;
const frontDoorZones = [
  ...[...LAYERS.map((layer) => `${LIBRARY}/${layer}/**`), MODULE_FILES].map((target) => ({
    target,
    from: EXPRESS,
    message: 'express/ is a front door on top of the library: nothing below it imports it.',
  })),
  {
    target: EXPRESS,
    from: `${LIBRARY}/identity-web.module*.ts`,
    message: 'the Express entry point builds the core itself: it does not use the Nest module.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['packages/identity-web/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...frontDoorZones] }] },
  },
  {
    // Scripts the samples serve to browsers, beside the library's helper (window.identityWeb).
    files: ['apps/*/public/**/*.js'],
    languageOptions: { globals: { document: 'readonly', identityWeb: 'readonly' } },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/test/**/*.ts',
      'bench/**/*.ts',
      '**/cli.ts',
      'apps/*/src/main.ts',
      'scripts/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
