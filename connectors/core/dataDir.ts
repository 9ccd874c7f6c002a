import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the pack keeps its embedded durable state (evidence chains, webhook dedupe marks) when no
 * explicit path is configured: Q2C_DATA_DIR, else next to n8n's own data in its user folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
	if (env.Q2C_DATA_DIR) return env.Q2C_DATA_DIR;
	const userFolder = env.N8N_USER_FOLDER ?? homedir();
	return join(userFolder, '.n8n', 'quote-to-cash');
}
