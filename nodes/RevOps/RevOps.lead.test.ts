import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeOperationError, type INodeExecutionData } from 'n8n-workflow';
import { credential, nodeContext } from './__tests__/context';
import { RevOps } from './RevOps.node';

const node = new RevOps();
const run = (...args: Parameters<typeof nodeContext>) => node.execute.call(nodeContext(...args));

describe('RevOps node: Lead → Normalise and Parse CSV', () => {
	it('Normalise turns a form post into routing attributes, keeping the item and the rest as lead_context', async () => {
		const post = { email: 'Ana@Acme.com', country: 'United Kingdom', company_size: '250', first_name: 'Ana', page_url: 'https://acme.com/demo?utm_campaign=q3-launch' };
		const [[out]] = await run({ params: { resource: 'lead', operation: 'normalise', source: 'marketing_form', payload: post }, items: [{ json: post }], credentials: credential() });
		expect(out.json).toMatchObject({
			email: 'Ana@Acme.com',
			lead: { email: 'ana@acme.com', email_domain: 'acme.com', country: 'GB', company_size: 250, source: 'marketing_form', utm_campaign: 'q3-launch', id: expect.stringMatching(/^lead_[0-9a-f]{32}$/) },
			lead_context: { first_name: 'Ana' },
		});
		// Same source and email, same lead: a re-delivered form post is not a new lead.
		const [[again]] = await run({ params: { resource: 'lead', operation: 'normalise', source: 'marketing_form', payload: { email: 'ana@acme.com' } } });
		expect((again.json.lead as { id: string }).id).toBe((out.json.lead as { id: string }).id);
	});

	it('Normalise names the field of a bad payload', async () => {
		const error = await run({ params: { resource: 'lead', operation: 'normalise', source: 'partner', payload: { email: 'not-an-email' } } }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/email: expected an email address/);
	});

	const csv = ['email,first_name,country,company_size', 'ana@acme.com,Ana,GB,250', ',Bob,US,10', 'cy@beta.io,Cy,DE,40', 'ana@acme.com,Ana again,GB,250'].join('\n');

	it('Parse CSV reads a binary file: one item per lead on "Leads", each rejected row on "Invalid Rows"', async () => {
		const items: INodeExecutionData[] = [{ json: {}, binary: { upload: { data: Buffer.from(csv).toString('base64'), mimeType: 'text/csv', fileName: 'leads.csv' } } }];
		const [leads, invalid] = await run({ params: { resource: 'lead', operation: 'parseCsv', csvFrom: 'binary', binaryPropertyName: 'upload' }, items });
		expect(leads.map((item) => [item.json.row, (item.json.lead as { email: string }).email, (item.json.lead as { source: string }).source])).toEqual([
			[2, 'ana@acme.com', 'csv'],
			[4, 'cy@beta.io', 'csv'],
		]);
		expect(invalid.map((item) => [item.json.row, item.json.column])).toEqual([
			[3, 'email'],
			[5, 'email'],
		]);
		expect(invalid[1].json.message).toMatch(/same lead as row 2/);
		expect([...leads, ...invalid].every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('Parse CSV reads text too, with another source, and refuses a file over Max Rows', async () => {
		const [leads] = await run({ params: { resource: 'lead', operation: 'parseCsv', csvFrom: 'text', csvText: csv, options: { source: 'partner' } } });
		expect(leads.map((item) => (item.json.lead as { source: string }).source)).toEqual(['partner', 'partner']);
		const error = await run({ params: { resource: 'lead', operation: 'parseCsv', csvFrom: 'text', csvText: csv, options: { maxRows: 2 } } }).catch((e: unknown) => e);
		expect((error as Error).message).toMatch(/at most 2 lead rows/);
	});

	it('Parse CSV names the binary field it could not find', async () => {
		const error = await run({ params: { resource: 'lead', operation: 'parseCsv', csvFrom: 'binary', binaryPropertyName: 'file' } }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('binary field "file"');
	});
});

describe('RevOps node: Lead → Assign and Release with the file routing store', () => {
	let dataDir: string;
	const saved = { ...process.env };
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'q2c-revops-node-'));
		process.env.Q2C_DATA_DIR = dataDir;
		delete process.env.Q2C_ROUTING_STORE;
		delete process.env.Q2C_EVIDENCE_STORE;
	});
	afterEach(() => {
		process.env = { ...saved };
		rmSync(dataDir, { recursive: true, force: true });
	});

	// The SMB profile routes everything round robin; capacity 1 per SDR makes exhaustion and release visible.
	const smb = credential({ profile: 'smb', config: '{"routing": {"capacity": {"default": 1}}}' });
	const lead = (id: string) => ({ id, email: `${id}@acme.io`, country: 'US' });
	const assign = (id: string, creds = smb) => run({ params: { resource: 'lead', operation: 'assign', lead: lead(id) }, items: [{ json: { id } }], credentials: creds });
	const assignment = async (id: string) => (await assign(id))[0][0].json.assignment as { assignee: string | null; source: string; pool?: string; claim?: { reason: string } };
	const release = async (id: string) => ((await run({ params: { resource: 'lead', operation: 'release', leadId: id }, credentials: smb }))[0][0].json.release as { released: boolean });

	it('claims pool members in turn, and a repeated assign of a lead returns the same owner', async () => {
		const [[first]] = await assign('a');
		expect(first.json).toMatchObject({
			id: 'a',
			policy: { tenant: 'acme', kind: 'lead_routing', decision: { route_strategy: 'round_robin' } },
			assignment: { tenant: 'acme', lead_id: 'a', assignee: 'user:sdr-1', source: 'routing_store', pool: 'starter_sdr', claim: { reason: 'assigned' } },
		});
		expect(await assignment('b')).toMatchObject({ assignee: 'user:sdr-2', claim: { reason: 'assigned' } });
		expect(await assignment('a')).toMatchObject({ assignee: 'user:sdr-1', claim: { reason: 'already_assigned' } });
		expect(existsSync(join(dataDir, 'routing'))).toBe(true);
	});

	it('reports an exhausted pool with no owner, and Release frees a slot (once) for the next lead', async () => {
		for (const id of ['a', 'b', 'c']) expect((await assignment(id)).assignee).not.toBeNull();
		expect(await assignment('d')).toMatchObject({ assignee: null, claim: { reason: 'capacity_exhausted' } });
		expect(await release('b')).toEqual({ tenant: 'acme', lead_id: 'b', released: true });
		expect(await release('b')).toMatchObject({ released: false });
		expect(await assignment('d')).toMatchObject({ assignee: 'user:sdr-2', claim: { reason: 'assigned' } });
	});

	it('keeps tenants apart: the same lead ID in another tenant is another lead', async () => {
		expect((await assignment('a')).assignee).toBe('user:sdr-1');
		const other = credential({ tenant: 'globex', profile: 'smb' });
		expect(((await assign('b', other))[0][0].json.assignment as { assignee: string }).assignee).toBe('user:sdr-1');
	});

	it('takes the owner a routing rule names without touching the store', async () => {
		const west = await run({ params: { resource: 'lead', operation: 'assign', lead: { id: 'w', country: 'US', state: 'CA' } }, credentials: credential() });
		expect(west[0][0].json.assignment).toEqual({ tenant: 'acme', lead_id: 'w', assignee: 'user:ae-west', route_strategy: 'territory', source: 'policy' });
		expect(existsSync(join(dataDir, 'routing'))).toBe(false);
	});

	it('does not claim for a lead the preflight blocks', async () => {
		const [[out]] = await run({ params: { resource: 'lead', operation: 'assign', lead: { id: 'spam', email: 'x@mailinator.com' } }, credentials: smb });
		expect(out.json.assignment).toMatchObject({ assignee: null, source: 'none' });
		expect(out.json.policy).toMatchObject({ decision: { allow: false, conflicts: ['blocked:domain'] } });
		expect(existsSync(join(dataDir, 'routing'))).toBe(false);
	});
});
