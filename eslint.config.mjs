// Lint: the rules @stripe/ui-extension-tools ships for the extension (src/), typescript-eslint for the rest.
import js from '@eslint/js';
import uiExtension from '@stripe/ui-extension-tools/eslint.config.ui-extension.mjs';
import tseslint from 'typescript-eslint';

const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }];

// Routes take params, query and body typed from their zod schemas (src/api/contract.ts); a cast hides a missing schema.
const requestInput = "MemberExpression[object.name='request'][property.name=/^(params|body|query)$/]";
const noRequestCasts = [
  'error',
  { selector: `TSAsExpression ${requestInput}`, message: 'Declare a zod schema for the route (src/api/contract.ts) instead of casting request input.' },
  { selector: `TSTypeAssertion ${requestInput}`, message: 'Declare a zod schema for the route (src/api/contract.ts) instead of casting request input.' },
];

export default [
  {
    ignores: ['node_modules/**', '.build/**', 'dist/**', 'data/**', 'test-artifacts/**', 'backend/src/db/generated/**', 'prisma/.generated/**'],
  },
  ...uiExtension.map((config) => ({ ...config, files: ['src/**/*.{ts,tsx}'] })),
  // The preview host renders real DOM tags for the SDK's components, so the "SDK components only" rule is off there.
  ...uiExtension.map((config) => ({ ...config, files: ['preview/**/*.{ts,tsx}'] })),
  { files: ['preview/**/*.{ts,tsx}'], rules: { 'no-restricted-syntax': 'off' } },
  ...[js.configs.recommended, ...tseslint.configs.recommended].map((config) => ({
    ...config,
    files: ['backend/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.{ts,mjs}', '*.ts', '*.mjs'],
  })),
  {
    files: ['backend/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.{ts,mjs}', '*.ts', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': unusedVars },
  },
  { files: ['backend/src/**/*.ts'], rules: { 'no-restricted-syntax': noRequestCasts } },
  // The extension takes only types from the contract: a value import would bundle zod into every view.
  {
    files: ['src/**/*.{ts,tsx}'],
    // Tests check answers against the contract's schemas; they are not bundled.
    ignores: ['src/api/contract.ts', 'src/test/**', 'src/**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/contract', './contract'], allowTypeImports: true, message: 'Import only types from the contract (import type …): zod stays out of the extension bundle.' }] },
      ],
    },
  },
];
