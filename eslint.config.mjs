// Lint: ESLint's and typescript-eslint's recommended rules, formatting left to prettier.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['**/dist/', '**/node_modules/', 'benchmarks/.data/', 'benchmarks/peers/', 'packages/schema/src/generated/', 'test/fixtures/', 'coverage/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // `_`-prefixed names mark parameters a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Names that come from events (ref names, ids, depts, items, data keys) are data, never
    // code: `name in table` and `table.hasOwnProperty(name)` follow or trust the prototype chain,
    // so `toString` or `constructor` would match. Use a Map, a null-prototype object or
    // Object.hasOwn. A literal key (`'errno' in signer`) is TypeScript's narrowing of our own
    // union types, not a lookup of a name from input, so only a computed left operand is banned.
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "BinaryExpression[operator='in'][left.type!='Literal']", message: '`in` follows the prototype chain: use a Map, Object.hasOwn, or a typeof check.' },
      ],
      'no-prototype-builtins': 'error',
    },
  },
  {
    // Tests read parsed JSON output freely.
    files: ['**/test/**', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
)
