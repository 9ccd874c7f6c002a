import nock from 'nock';
import type { SuperAdminClientOptions } from '../client';
import { SuperAdminClient } from '../superAdminClient';

export const BASE_URL = 'https://admin.superadmin.test';
export const API_KEY = 'sa_live_key_0123456789abcdef';

export function makeClient(overrides: Partial<SuperAdminClientOptions> = {}) {
	const sleeps: number[] = [];
	const client = new SuperAdminClient({
		baseUrl: BASE_URL,
		apiKey: API_KEY,
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		rateLimit: { perSecond: 1000, burst: 1000 },
		retry: { jitter: 0 },
		...overrides,
	});
	return { client, sleeps };
}

export function api() {
	return nock(BASE_URL);
}

export function errorBody(code: string, message: string, field?: string) {
	return { error: { code, message, ...(field ? { field } : {}) } };
}

export function setupNock() {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		expect(pending).toEqual([]);
	});
	afterAll(() => nock.enableNetConnect());
}

/** Captures the connector error a promise rejects with. */
export async function failure(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		return error as import('../../core').ConnectorError;
	}
	throw new Error('expected the call to fail');
}
