/**
 * API-key generation against the Super Admin fake when the platform's first answer is lost in transit: the key
 * is created, the answer (the only one with its secret) never arrives, and the retry gets the secret-less replay.
 */
import { createHash } from 'node:crypto';
import { SuperAdminClient } from '../superAdminClient';

const { createSuperAdminFake } = require('../../../sandbox/superadmin') as {
	createSuperAdminFake: (options: { apiKey: string }) => { app: any; state: { apiKeys: Map<string, any> }; listen: () => Promise<{ url: string }>; close: () => Promise<void> };
};

const ADMIN_KEY = 'sa_test_lost_answer_0123456789';
const ROUTE = 'POST /v1/tenants/{tenantId}/api-keys';
let fake: ReturnType<typeof createSuperAdminFake>;
let client: SuperAdminClient;
let tenantId: string;

beforeAll(async () => {
	fake = createSuperAdminFake({ apiKey: ADMIN_KEY });
	const { url } = await fake.listen();
	client = new SuperAdminClient({
		baseUrl: url,
		apiKey: ADMIN_KEY,
		retry: { jitter: 0, baseDelayMs: 1, maxDelayMs: 5 },
		rateLimit: { perSecond: 1000, burst: 1000 },
		sleep: async () => undefined,
	});
});
afterAll(() => fake.close());
beforeEach(async () => {
	fake.app.reset();
	tenantId = (await client.createTenant({ businessKey: 'CTR-LOST', name: 'Lost Answer FC', ownerEmail: 'o@lost.example', tier: 'professional' })).tenant.id;
});

const keys = () => [...fake.state.apiKeys.values()];
const liveKeys = () => keys().filter((key) => !key.revokedAt);
const works = (secret: string, keyId: string) => createHash('sha256').update(secret).digest('hex') === fake.state.apiKeys.get(keyId)?.secretHash;
const generate = (extra: Record<string, unknown> = {}) => client.generateApiKey({ tenantId, businessKey: 'CTR-LOST', name: 'billing-sync', ...extra });
const posts = () => fake.app.requests.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path.endsWith('/api-keys'));

describe('API key whose first answer is lost in transit', () => {
	it('revokes the key nobody has the secret of and returns its replacement secret, once', async () => {
		fake.app.addFaults({ route: ROUTE, times: 1, fault: { dropResponse: true } });
		const result = await generate();

		expect(result.secretReturned).toBe(true);
		expect(works(result.secret as string, result.apiKey.id)).toBe(true);
		expect(result.generation).toBe(1);
		const [lost] = result.replacedKeyIds;
		expect(fake.state.apiKeys.get(lost)).toMatchObject({ revokedAt: expect.any(String) });
		// No orphan: the only live key is the one whose secret the caller holds.
		expect(liveKeys().map((key) => key.id)).toEqual([result.apiKey.id]);
		// The dropped answer, its replay (no secret), the replacement.
		expect(posts().map((r: { status: number }) => r.status)).toEqual([201, 200, 201]);

		// A rerun finds the live key through the revoked one and shows no secret again, creating nothing.
		const rerun = await generate();
		expect(rerun).toMatchObject({ secretReturned: false, generation: 1, replacedKeyIds: [], apiKey: { id: result.apiKey.id } });
		expect('secret' in rerun).toBe(false);
		expect(keys()).toHaveLength(2);
		expect(liveKeys().map((key) => key.id)).toEqual([result.apiKey.id]);
	});

	it('keeps a key an earlier run was answered with, unless told to replace it', async () => {
		const first = await generate();
		expect(first).toMatchObject({ secretReturned: true, generation: 0, replacedKeyIds: [] });
		const again = await generate();
		expect(again).toMatchObject({ secretReturned: false, apiKey: { id: first.apiKey.id } });
		expect(liveKeys().map((key) => key.id)).toEqual([first.apiKey.id]);

		const replaced = await generate({ ifSecretNotShown: 'replace' });
		expect(replaced).toMatchObject({ secretReturned: true, generation: 1, replacedKeyIds: [first.apiKey.id] });
		expect(works(replaced.secret as string, replaced.apiKey.id)).toBe(true);
		expect(liveKeys().map((key) => key.id)).toEqual([replaced.apiKey.id]);
	});
});
