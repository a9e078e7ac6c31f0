// make lint (run by make test): eslint's and typescript-eslint's recommended rules over the code we write.
// Generated files are left out: lib/validation/validators.ts (make validators) and lib/dump/wasm/hex-decode-wasm.ts (make wasm).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/data/**',
      '.tap/**',
      'lib/validation/validators.ts',
      'lib/dump/wasm/hex-decode-wasm.ts',
      'out/**',
      'rehearsal/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        Buffer: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        WebAssembly: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        Response: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        require: 'readonly',
      },
    },
    rules: {
      // `_` names a value deliberately left unused (a destructured field dropped from a copy)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
