// ESLint (part of `npm test`): errors for real problems, not style. TypeScript itself checks
// unused code (noUnusedLocals / noUnusedParameters) and knip unused files, exports and packages.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // TypeScript only: the few .mjs/.cjs build scripts are plain Node glue.
    ignores: ['**/*.{js,mjs,cjs}', 'out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'src/core/judges/generated/**', 'judges/**', 'tests/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The two classic hooks rules; the React Compiler rules of the plugin's preset are not used
      // (the app does not use the compiler and mutates refs during render on purpose).
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // tsc reports these (noUnusedLocals / noUnusedParameters); `_name` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': 'off',
      'no-unused-vars': 'off',
      // Judged case by case in review, not mechanically.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Type declarations merged into globals (Window) need `interface` in `declare global`.
      '@typescript-eslint/no-namespace': 'off',
      // Control characters in regexes are how untrusted text is escaped (terminal, HTML).
      'no-control-regex': 'off',
      // Style: the code uses comma sequences in one-line branches and literal spaces in regexes.
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-regex-spaces': 'off',
    },
  },
  {
    // Expected values copied verbatim from fixtures (nanosecond timestamps as ms), compared with
    // toBeCloseTo at the precision the test states.
    files: ['tests/**/*.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
);
