/**
 * Finding a real OPA for the golden run: a server named by Q2C_OPA_URL, or an `opa` binary on PATH started as
 * `opa run --server` on a free loopback port. Neither exists on most development machines, so callers must be
 * able to say plainly that nothing ran.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import axios from 'axios';
import { ConnectorError } from '../core';

export type OpaAvailability =
	| { how: 'url'; url: string; reason: string }
	| { how: 'binary'; binary: string; reason: string }
	| { how: null; reason: string };

/** The folder of Rego modules shipped with the pack. */
export const POLICY_DIR = join(__dirname, 'policies');

/** How a real OPA can be reached here, or `how: null` with the reason none can. */
export function opaAvailable(env: NodeJS.ProcessEnv = process.env): OpaAvailability {
	const url = env.Q2C_OPA_URL?.trim();
	if (url) return { how: 'url', url: url.replace(/\/+$/, ''), reason: 'Q2C_OPA_URL is set' };
	const binary = findOnPath('opa', env.PATH ?? '');
	if (binary) return { how: 'binary', binary, reason: `opa binary found at ${binary}` };
	return { how: null, reason: 'no opa binary on PATH and Q2C_OPA_URL unset' };
}

function findOnPath(name: string, pathList: string): string | undefined {
	for (const dir of pathList.split(delimiter).filter(Boolean)) {
		const candidate = join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// not here; keep looking
		}
	}
	return undefined;
}

export interface RunningOpa {
	url: string;
	stop(): Promise<void>;
}

/** A free loopback port (released just before OPA binds it; a race is possible but harmless in tests). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** Starts `opa run --server` on a free port with `policyDir` loaded and waits until GET /health answers 200. */
export async function startOpaServer(binary: string, policyDir = POLICY_DIR, options: { readyTimeoutMs?: number } = {}): Promise<RunningOpa> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(binary, ['run', '--server', '--addr', `127.0.0.1:${port}`, policyDir], { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
	let exited: number | null | undefined;
	const exit = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code), resolve())));
	const stop = async () => {
		if (exited === undefined) {
			child.kill('SIGTERM');
			await exit;
		}
	};
	const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
	while (Date.now() < deadline) {
		if (exited !== undefined) break;
		if (await healthy(url)) return { url, stop };
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await stop();
	const why = exited !== undefined && exited !== null ? `exited with code ${exited}` : 'did not become healthy in time';
	throw new ConnectorError('transient', `OPA (${binary} run --server at ${url}) ${why}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`, { vendor: 'OPA' });
}

async function healthy(url: string): Promise<boolean> {
	try {
		const response = await axios.get(`${url}/health`, { timeout: 1000, validateStatus: () => true });
		return response.status === 200;
	} catch {
		return false;
	}
}

/** The Rego modules of `policyDir` (tests excluded), by file name. */
export function policyModules(policyDir = POLICY_DIR): { id: string; text: string }[] {
	return readdirSync(policyDir)
		.filter((file) => file.endsWith('.rego') && !file.endsWith('_test.rego'))
		.sort()
		.map((file) => ({ id: `q2c-revops/${file}`, text: readFileSync(join(policyDir, file), 'utf8') }));
}

/** Loads the policy modules into an already running OPA through its Policy API (`PUT /v1/policies/<id>`). */
export async function loadPolicies(url: string, options: { token?: string; policyDir?: string } = {}): Promise<string[]> {
	const loaded: string[] = [];
	for (const module of policyModules(options.policyDir)) {
		const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
		if (options.token) headers.Authorization = `Bearer ${options.token}`;
		const response = await axios.put(`${url.replace(/\/+$/, '')}/v1/policies/${module.id}`, module.text, { headers, timeout: 10_000, validateStatus: () => true });
		if (response.status !== 200) {
			const message = (response.data as { message?: string } | undefined)?.message ?? `HTTP ${response.status}`;
			throw new ConnectorError('permanent', `OPA at ${url} refused policy ${module.id} (${response.status}): ${message}`, { vendor: 'OPA', status: response.status });
		}
		loaded.push(module.id);
	}
	return loaded;
}
