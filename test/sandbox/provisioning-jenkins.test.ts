const { createJenkinsFake } = require('../../sandbox/provisioning/jenkins');

/** The Jenkins fake driven over plain HTTP as Jenkins' remote access API documents it. */

// The queue's quiet period is long enough that a loaded machine still sees the item waiting before it leaves.
const jenkins = createJenkinsFake({ delays: { queue: 1500, build: 300 } });
let creds: { user: string; apiToken: string; password: string };
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
const call = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}, secret = creds.apiToken) =>
	fetch(`${jenkins.url}${path}`, { method: init.method ?? 'GET', body: init.body, redirect: 'manual', headers: { Authorization: basic(creds.user, secret), ...(init.headers ?? {}) } });
const json = async (path: string) => (await call(path)).json() as any;
const poll = async <T>(fn: () => Promise<T | undefined | null | false>, ms = 5000): Promise<T> => {
	const until = Date.now() + ms;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > until) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 40));
	}
};

beforeAll(async () => {
	await jenkins.listen();
	creds = jenkins.credentials();
});
afterAll(() => jenkins.close());

describe('Jenkins fake', () => {
	it('queues a parameterised build, hands out its number, runs it to SUCCESS', async () => {
		const res = await call('/job/provision-tenant/buildWithParameters?TENANT_ID=ten_1', { method: 'POST', body: new URLSearchParams({ PLAN: 'pro' }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(res.status).toBe(201);
		const location = res.headers.get('location') as string;
		expect(location).toMatch(new RegExp(`^${jenkins.url}/queue/item/\\d+/$`));
		const queuePath = new URL(location).pathname;

		// An identical request while the first still waits is merged into it (303 to the same item).
		const merged = await call('/job/provision-tenant/buildWithParameters?TENANT_ID=ten_1&PLAN=pro', { method: 'POST' });
		expect(merged.status).toBe(303);
		expect(merged.headers.get('location')).toBe(location);

		const waiting = await json(`${queuePath}api/json`);
		expect(waiting).toMatchObject({ _class: 'hudson.model.Queue$WaitingItem', executable: null, params: '\nTENANT_ID=ten_1\nPLAN=pro' });
		const left = await poll(async () => {
			const item = await json(`${queuePath}api/json`);
			return item.executable ? item : null;
		});
		expect(left._class).toBe('hudson.model.Queue$LeftItem');
		const buildPath = new URL(left.executable.url).pathname;
		expect((await json(`${buildPath}api/json`)).building).toBe(true);
		const done = await poll(async () => {
			const build = await json(`${buildPath}api/json`);
			return build.building ? null : build;
		});
		expect(done).toMatchObject({ result: 'SUCCESS', number: left.executable.number, actions: [{ parameters: expect.arrayContaining([{ _class: 'hudson.model.StringParameterValue', name: 'PLAN', value: 'pro' }]) }] });
	});

	it('fails the next build when told to, cancels queue items and stops builds', async () => {
		jenkins.failNext('build');
		const failing = new URL((await call('/job/provision-tenant/buildWithParameters?TENANT_ID=ten_2', { method: 'POST' })).headers.get('location') as string).pathname;
		const cancelled = new URL((await call('/job/provision-tenant/buildWithParameters?TENANT_ID=ten_3', { method: 'POST' })).headers.get('location') as string).pathname;
		const id = /item\/(\d+)/.exec(cancelled)?.[1];
		expect((await call(`/queue/cancelItem?id=${id}`, { method: 'POST' })).status).toBe(204);
		expect(await json(`${cancelled}api/json`)).toMatchObject({ cancelled: true, executable: null });

		const failed = await poll(async () => {
			const item = await json(`${failing}api/json`);
			if (!item.executable) return null;
			const build = await json(`${new URL(item.executable.url).pathname}api/json`);
			return build.building ? null : build;
		});
		expect(failed.result).toBe('FAILURE');

		const stopping = new URL((await call('/job/provision-tenant/buildWithParameters?TENANT_ID=ten_4', { method: 'POST' })).headers.get('location') as string).pathname;
		const running = await poll(async () => (await json(`${stopping}api/json`)).executable);
		const buildPath = new URL(running.url).pathname;
		expect((await call(`${buildPath}stop`, { method: 'POST' })).status).toBe(302);
		expect(await json(`${buildPath}api/json`)).toMatchObject({ building: false, result: 'ABORTED' });
		await new Promise((r) => setTimeout(r, 400));
		expect((await json(`${buildPath}api/json`)).result).toBe('ABORTED');
	});

	it('requires credentials, and a crumb for password sessions but not for API tokens', async () => {
		const anonymous = await fetch(`${jenkins.url}/job/provision-tenant/buildWithParameters`, { method: 'POST' });
		expect(anonymous.status).toBe(401);
		expect(anonymous.headers.get('www-authenticate')).toMatch(/Basic/);
		expect((await call('/job/provision-tenant/api/json', {}, 'wrong-token')).status).toBe(401);

		const withoutCrumb = await call('/job/provision-tenant/buildWithParameters?X=1', { method: 'POST' }, creds.password);
		expect(withoutCrumb.status).toBe(403);
		const issued = await (await call('/crumbIssuer/api/json', {}, creds.password)).json() as any;
		expect(issued).toMatchObject({ crumbRequestField: 'Jenkins-Crumb', crumb: expect.any(String) });
		const withCrumb = await call('/job/provision-tenant/buildWithParameters?X=1', { method: 'POST', headers: { [issued.crumbRequestField]: issued.crumb } }, creds.password);
		expect(withCrumb.status).toBe(201);
		expect((await call('/job/nope/buildWithParameters', { method: 'POST' })).status).toBe(404);
		jenkins.addFaults({ route: 'GET /job/{name}/api/json', times: 1, fault: { status: 503 } });
		expect((await call('/job/provision-tenant/api/json')).status).toBe(503);
	});
});
