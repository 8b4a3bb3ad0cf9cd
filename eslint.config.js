import js from '@eslint/js'
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
)
