// Lint: the rules @stripe/ui-extension-tools ships for the extension (src/), typescript-eslint for the rest.
import js from '@eslint/js';
import uiExtension from '@stripe/ui-extension-tools/eslint.config.ui-extension.mjs';
import tseslint from 'typescript-eslint';

const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }];

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
];
