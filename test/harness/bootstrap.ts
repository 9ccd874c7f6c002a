/**
 * Loaded before anything from n8n-core: its DI container needs reflect-metadata, and its instance
 * settings read (or create) `<N8N_USER_FOLDER>/.n8n/config` (default: ~/.n8n). Point that at a fixed
 * temp folder whose config is written atomically up front, so parallel jest workers only read it.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.N8N_USER_FOLDER) {
	const userFolder = join(tmpdir(), 'q2c-harness-n8n');
	const configDir = join(userFolder, '.n8n');
	const configFile = join(configDir, 'config');
	if (!existsSync(configFile)) {
		mkdirSync(configDir, { recursive: true });
		const partial = `${configFile}.${process.pid}.tmp`;
		writeFileSync(partial, JSON.stringify({ encryptionKey: 'q2c-harness-test-encryption-key' }), { mode: 0o600 });
		renameSync(partial, configFile);
	}
	process.env.N8N_USER_FOLDER = userFolder;
}
// n8n's logger writes node failures straight to stdout; runs report them in their result instead.
// Set N8N_LOG_LEVEL=error (or debug) to see n8n's own logging while debugging a test.
process.env.N8N_LOG_LEVEL ??= 'silent';

/*
 * n8n-nodes-base's Form helpers (pulled in by Send Email's send-and-wait operation) require
 * sanitize-html, whose htmlparser2 is ESM-only: Node loads it, jest's CommonJS runtime cannot. Only
 * form pages use it, which the harness doesn't serve, so under jest it's replaced by a stub that
 * fails loudly if anything does call it.
 */
if (typeof jest !== 'undefined') {
	jest.mock('sanitize-html', () => {
		const unavailable = () => {
			throw new Error('[harness] sanitize-html (n8n form pages) is not available under jest');
		};
		return Object.assign(unavailable, { default: unavailable, simpleTransform: () => unavailable });
	});
}
