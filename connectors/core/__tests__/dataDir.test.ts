import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultDataDir } from '../dataDir';

describe('defaultDataDir', () => {
	it('prefers Q2C_DATA_DIR', () => {
		expect(defaultDataDir({ Q2C_DATA_DIR: '/data/q2c', N8N_USER_FOLDER: '/home/node' })).toBe('/data/q2c');
	});

	it('falls back to N8N_USER_FOLDER/.n8n/quote-to-cash', () => {
		expect(defaultDataDir({ N8N_USER_FOLDER: '/home/node' })).toBe(join('/home/node', '.n8n', 'quote-to-cash'));
	});

	it('falls back to the home directory', () => {
		expect(defaultDataDir({})).toBe(join(homedir(), '.n8n', 'quote-to-cash'));
	});

	it('reads process.env by default', () => {
		const saved = process.env.Q2C_DATA_DIR;
		process.env.Q2C_DATA_DIR = '/tmp/q2c-from-env';
		try {
			expect(defaultDataDir()).toBe('/tmp/q2c-from-env');
		} finally {
			if (saved === undefined) delete process.env.Q2C_DATA_DIR;
			else process.env.Q2C_DATA_DIR = saved;
		}
	});
});
