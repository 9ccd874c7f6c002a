import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const communityRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**', '**/*.js', '**/*.mjs'] },
	...tseslint.configs.recommended,
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
