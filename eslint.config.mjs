// ESLint flat config: typescript-eslint's recommended rules plus a few that catch real bugs.
// `npm run lint` runs it with the type check, the dependency rules and the unused-export check.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', '.build/**', '.data/**', 'coverage/**', 'node_modules/**', 'schema/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Type information for the rules below that need it (no-floating-promises, no-misused-promises).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // A promise nobody awaits or catches loses its error; `void` says it is on purpose. node:test's
      // describe/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'suite', 'test', 'it'] }] }],
      // `x == null` stays allowed: it is the one comparison that means "null or undefined".
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `interface Loaders extends ReturnType<...> {}` is how a module adds its loaders (declaration merging).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // Unused names are the compiler's job (noUnusedLocals, noUnusedParameters); `_x` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // NOT consistent-type-imports: with emitDecoratorMetadata a type-only import of a class used in a
      // decorated signature removes the runtime value that type-graphql and TypeORM read.
    },
  },
  {
    // The service logs through pino; a stray console.log in a request path is noise nobody collects.
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts'],
    rules: {
      'no-console': 'error',
    },
  },
  {
    // Tests read GraphQL and simulator JSON untyped; `any` there is the honest type of a response body.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The /ops page runs in a browser (its own tsconfig: DOM types, Preact's JSX).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
