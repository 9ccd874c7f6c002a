import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import axios from 'axios';
import { ConnectorError } from '../core';
import { loadProfile } from './config';
import { createOpaEngine, POLICY_UNDEFINED } from './opa';
import { freePort, loadPolicies, opaAvailable, POLICY_DIR, policyModules, startOpaServer } from './opaLocal';
const { createOpaFake } = require('../../sandbox/opa');

const SANDBOX_OPA = resolve(__dirname, '../../sandbox/opa');
let dir: string;

/** An executable named `opa` (a node script) in `dir`. */
function fakeBinary(body: string, name = 'opa'): string {
	const file = join(dir, name);
	writeFileSync(file, `#!/usr/bin/env node\n${body}\n`);
	chmodSync(file, 0o755);
	return file;
}

// Stands in for `opa run --server --addr host:port <dir>`: records its arguments, then serves the OPA fake there.
const OPA_STAND_IN = `
require('node:fs').writeFileSync(require('node:path').join(__dirname, 'argv.json'), JSON.stringify(process.argv.slice(2)));
const { createOpaFake } = require(${JSON.stringify(SANDBOX_OPA)});
const addr = process.argv[process.argv.indexOf('--addr') + 1];
const fake = createOpaFake();
fake.listen(Number(addr.split(':')[1]), addr.split(':')[0]);
process.on('SIGTERM', () => fake.close().then(() => process.exit(0)));`;

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		return error as ConnectorError;
	}
	throw new Error('expected a failure');
}

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'q2c-opa-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('opaAvailable', () => {
	it('prefers Q2C_OPA_URL', () => {
		fakeBinary('');
		expect(opaAvailable({ Q2C_OPA_URL: ' http://opa.internal:8181/ ', PATH: dir })).toEqual({ how: 'url', url: 'http://opa.internal:8181', reason: 'Q2C_OPA_URL is set' });
	});

	it('finds an executable opa on PATH', () => {
		const binary = fakeBinary('');
		expect(opaAvailable({ PATH: ['/nonexistent', dir].join(delimiter) })).toEqual({ how: 'binary', binary, reason: `opa binary found at ${binary}` });
	});

	it('says why none is available (a non-executable file named opa does not count)', () => {
		writeFileSync(join(dir, 'opa'), 'not executable');
		chmodSync(join(dir, 'opa'), 0o644);
		expect(opaAvailable({ PATH: dir, Q2C_OPA_URL: '  ' })).toEqual({ how: null, reason: 'no opa binary on PATH and Q2C_OPA_URL unset' });
		expect(opaAvailable({})).toEqual({ how: null, reason: 'no opa binary on PATH and Q2C_OPA_URL unset' });
	});
});

describe('startOpaServer', () => {
	it('runs `opa run --server` on a free loopback port with the policy folder, until stopped', async () => {
		const running = await startOpaServer(fakeBinary(OPA_STAND_IN));
		try {
			const port = Number(new URL(running.url).port);
			expect(JSON.parse(readFileSync(join(dir, 'argv.json'), 'utf8'))).toEqual(['run', '--server', '--addr', `127.0.0.1:${port}`, POLICY_DIR]);
			expect((await axios.get(`${running.url}/health`)).status).toBe(200);
			// The stand-in has no policy loaded: the engine reports the undefined document as a deny.
			const result = await createOpaEngine({ baseUrl: running.url }).evaluate('lead_routing', { lead: { id: 'l' } }, loadProfile('default'));
			expect(result.decision.conflicts).toEqual([POLICY_UNDEFINED]);
		} finally {
			await running.stop();
		}
		await expect(axios.get(`${running.url}/health`, { timeout: 500 })).rejects.toThrow();
		await running.stop(); // stopping twice is harmless
	});

	it('reports an opa that exits, with the end of its stderr', async () => {
		const binary = fakeBinary("process.stderr.write('error: rego_parse_error: unexpected eof\\n'); process.exit(1);");
		const error = await rejection(startOpaServer(binary, dir));
		expect(error.message).toMatch(/^OPA \(.* run --server at http:\/\/127\.0\.0\.1:\d+\) exited with code 1: error: rego_parse_error: unexpected eof$/);
	});

	it('gives up on an opa that never becomes healthy, and stops it', async () => {
		const binary = fakeBinary("require('node:fs').writeFileSync(require('node:path').join(__dirname, 'pid'), String(process.pid)); setInterval(() => undefined, 1000);");
		const error = await rejection(startOpaServer(binary, dir, { readyTimeoutMs: 400 }));
		expect(error.message).toContain('did not become healthy in time');
		const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
		expect(() => process.kill(pid, 0)).toThrow();
	});

	it('freePort gives a port nothing listens on', async () => {
		const port = await freePort();
		expect(port).toBeGreaterThan(0);
		await expect(axios.get(`http://127.0.0.1:${port}/health`, { timeout: 500 })).rejects.toThrow();
	});
});

describe('loadPolicies', () => {
	it('PUTs every module (tests excluded) through the Policy API, with the bearer token', async () => {
		const fake = createOpaFake({ token: 'load-token-42x' });
		await fake.listen();
		try {
			const loaded = await loadPolicies(`${fake.url}/`, { token: 'load-token-42x' });
			expect(loaded).toEqual(policyModules().map((m) => m.id));
			expect(loaded.some((id) => id.endsWith('_test.rego'))).toBe(false);
			const stored: Map<string, string> = fake.policies;
			expect([...stored.keys()]).toEqual(loaded);
			expect(stored.get('q2c-revops/lead_routing.rego')).toBe(readFileSync(join(POLICY_DIR, 'lead_routing.rego'), 'utf8'));
		} finally {
			await fake.close();
		}
	});

	it('fails clearly when OPA refuses a module or the token', async () => {
		const fake = createOpaFake();
		await fake.listen();
		try {
			writeFileSync(join(dir, 'broken.rego'), 'this is not rego');
			const error = await rejection(loadPolicies(fake.url, { policyDir: dir }));
			expect(error.message).toContain(`OPA at ${fake.url} refused policy q2c-revops/broken.rego (400): error(s) occurred while compiling module(s)`);
		} finally {
			await fake.close();
		}
		const guarded = createOpaFake({ token: 'right-token-77' });
		await guarded.listen();
		try {
			const error = await rejection(loadPolicies(guarded.url, { token: 'wrong-token-77' }));
			expect(error.status).toBe(401);
			expect(error.message).not.toContain('wrong-token-77');
			expect(guarded.policies.size).toBe(0);
		} finally {
			await guarded.close();
		}
	});
});
