import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const noElectron = {
  name: 'electron',
  message: 'This layer must not depend on Electron (see ARCHITECTURE.md).',
}

export default tseslint.config(
  { ignores: ['out/', 'dist/', '.bench-cache/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'react', message: 'shared/ is used by every layer.' }],
          patterns: ['node:*'],
        },
      ],
    },
  },
  {
    files: ['src/main/db/**', 'src/main/api/**', 'src/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: ['**/main/**', 'node:*'] }],
    },
  },
  {
    // Hooks called conditionally, and effects that miss a dependency (they show stale data, or never
    // rerun): errors, not warnings. Only these two: the plugin's other rules are for the React Compiler,
    // which the app does not use.
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The preload runs sandboxed: it can load `electron` and nothing else at run time (no node:, no
    // modules of ours: they would fail only inside Electron). Types from the contract are erased.
    files: ['src/preload/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$)',
              allowTypeImports: true,
              message:
                'The sandboxed preload may import only `electron` at run time (type imports are fine).',
            },
          ],
        },
      ],
    },
  },
)
