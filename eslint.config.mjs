import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const communityRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default [
	// Build output and the git-ignored run folders (n8n user folders, caches, evidence stores).
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**', '.n8n/**', '.cache/**', '.evidence/**'] },
	...tseslint.configs.recommended,
	{
		// Every .js here is plain CommonJS run by Node without a build: sandbox/, scripts/ and the tool configs.
		files: ['**/*.js'],
		languageOptions: {
			sourceType: 'commonjs',
			// The typescript-eslint parser ignores sourceType 'commonjs': globalReturn gives each file its own module
			// scope, so `const crypto = require('node:crypto')` shadows the Web Crypto global instead of redeclaring it.
			parserOptions: { ecmaFeatures: { globalReturn: true } },
			globals: { ...globals.node },
		},
		rules: {
			...js.configs.recommended.rules,
			'no-unused-vars': 'off', // the typescript-eslint rule below replaces it
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-unused-vars': ['error', {
				argsIgnorePattern: '^_',
				varsIgnorePattern: '^_',
				caughtErrorsIgnorePattern: '^_',
				// `const { secret, ...rest } = x` is how these files drop a field.
				ignoreRestSiblings: true,
			}],
			// What typescript-eslint's eslint-recommended turns on for the .ts files.
			'no-var': 'error',
			'prefer-const': 'error',
			'prefer-rest-params': 'error',
			'prefer-spread': 'error',
			// Mistakes the recommended sets let through.
			'array-callback-return': 'error',
			eqeqeq: ['error', 'smart'],
			'no-eval': 'error',
			'no-implied-eval': 'error',
			'no-new-func': 'error',
			'no-self-compare': 'error',
			'no-template-curly-in-string': 'error',
			'no-throw-literal': 'error',
			'no-unmodified-loop-condition': 'error',
			'no-unreachable-loop': 'error',
			'prefer-promise-reject-errors': 'error',
		},
	},
	{
		// sandbox/ and scripts/ stay in strict mode: every file opens with 'use strict'.
		files: ['sandbox/**/*.js', 'scripts/**/*.js'],
		rules: { strict: ['error', 'global'] },
	},
	{
		...communityRecommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			...communityRecommended.rules,
			// We ship the official vendor SDKs (stripe, jsforce, …) for self-hosted n8n; n8n Cloud's
			// verified-package rule against runtime dependencies does not apply to this pack.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			// Cloud-only sandbox restrictions: the connectors need node:crypto / node:fs (webhook signature
			// checks, the embedded evidence store) and timers (backoff), which self-hosted n8n allows.
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.nodes.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.credentials.rules,
	},
	{
		files: ['**/*.test.ts', 'test/**/*.ts'],
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			// Tests load built artifacts and node classes by path discovered at run time.
			'@typescript-eslint/no-require-imports': 'off',
		},
	},
];
