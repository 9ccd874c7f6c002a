/**
 * The CRM Poll Trigger run the way n8n's ActiveWorkflows runs it: n8n-core's real PollContext, the workflow's node
 * static data carried from poll to poll, the real Salesforce / HubSpot connectors, and the sandboxed CRMs. The
 * scenarios are the traps of n8n issues #21028 / #30536: wins sharing a timestamp, wins that become visible late,
 * won deals edited again, and polls that find nothing.
 */
import '../harness/bootstrap';
import { PollContext } from 'n8n-core';
import type { IDataObject, INodeType } from 'n8n-workflow';
import type { WorkflowJson } from '../harness';
import { buildWorkflow, harnessAdditionalData, resolveNodeTypes } from '../harness/workflow';
import { freshDataDir, openSandbox, type Sandbox } from './context';

const NODE = 'CRM Poll Trigger';
const CREDENTIALS = {
	salesforce: { salesforceCrmApi: { id: 'q2cSalesforce001', name: 'Salesforce (sandbox)' } },
	hubspot: { hubspotCrmApi: { id: 'q2cHubspotCrm001', name: 'HubSpot (sandbox)' } },
};

let sb: Sandbox & Record<string, any>;

beforeAll(async () => {
	sb = (await openSandbox()) as Sandbox & Record<string, any>;
});
afterAll(async () => {
	await sb?.close();
});
beforeEach(async () => {
	await sb.reset();
	freshDataDir();
});

/** One published workflow with the poll trigger; `poll()` runs it once like n8n's scheduler does. */
function pollingWorkflow(provider: 'salesforce' | 'hubspot') {
	const json = {
		id: `q2cPoll${provider}`,
		name: `Poll ${provider}`,
		nodes: [{ id: 'poll-1', name: NODE, type: 'n8n-nodes-quote-to-cash.crmPollTrigger', typeVersion: 1, position: [0, 0], parameters: { provider, event: 'dealWon', options: {} }, credentials: CREDENTIALS[provider] }],
		connections: {},
	} as unknown as WorkflowJson;
	const nodeTypes = resolveNodeTypes({});
	const staticData: IDataObject = {};
	let runs = 0;
	return {
		staticData,
		async poll(): Promise<Array<Record<string, any>>> {
			const workflow = buildWorkflow(json, nodeTypes, staticData);
			const node = workflow.getNode(NODE)!;
			const { additionalData } = harnessAdditionalData(json, { credentials: sb.credentials }, `poll-${++runs}`);
			const context = new PollContext(workflow, node, additionalData, 'trigger', 'activate');
			const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
			const output = await nodeType.poll!.call(context);
			return (output?.[0] ?? []).map((item) => item.json as Record<string, any>);
		},
	};
}


describe('CRM Poll Trigger against the sandboxed Salesforce', () => {
	it('reports each won opportunity once: ties in one second, late-visible wins, later edits and empty polls', async () => {
		const trigger = pollingWorkflow('salesforce');
		const base = Math.floor(Date.now() / 1000) * 1000 - 30_000;
		const wonBeforeActivation = sb.crm.salesforce.seedOpportunity({ Name: 'Won before activation' });
		sb.crm.salesforce.winOpportunity(wonBeforeActivation.Id, { at: base - 60_000 });

		expect(await trigger.poll()).toEqual([]);
		expect(trigger.staticData).not.toEqual({});

		// Three wins in the same second: a `>` cursor would drop two, a plain `>=` would repeat them.
		const tied = [1, 2, 3].map((n) => sb.crm.salesforce.seedOpportunity({ Name: `Tied ${n}` }));
		for (const opportunity of tied) sb.crm.salesforce.winOpportunity(opportunity.Id, { at: base + 10_000 });
		const first = await trigger.poll();
		expect(first.map((item) => item.dealId).sort()).toEqual(tied.map((o) => o.Id).sort());
		expect(first.every((item) => item.event === 'deal.won' && item.provider === 'salesforce' && item.deal.isWon === true)).toBe(true);

		expect(await trigger.poll()).toEqual([]);

		// A win committed with a timestamp just behind the cursor (the API showed it late) is still reported.
		const late = sb.crm.salesforce.seedOpportunity({ Name: 'Late' });
		sb.crm.salesforce.winOpportunity(late.Id, { at: base + 9_000 });
		expect((await trigger.poll()).map((item) => item.dealId)).toEqual([late.Id]);

		// Editing a won opportunity again changes its SystemModstamp but is not a new win.
		sb.crm.salesforce.touch(tied[0].Id, { Description: 'edited after the win' });
		expect(await trigger.poll()).toEqual([]);
		// An opportunity that is not won is never reported.
		sb.crm.salesforce.touch(sb.crm.salesforce.seedOpportunity({ Name: 'Open' }).Id, { Description: 'still open' });
		expect(await trigger.poll()).toEqual([]);
	});
});

describe('CRM Poll Trigger against the sandboxed HubSpot', () => {
	it('detects wins from pipeline stage metadata (numeric custom stages) and reports each once', async () => {
		const trigger = pollingWorkflow('hubspot');
		const { HUBSPOT_STAGES } = require('../../sandbox/quoteToCash');
		expect(await trigger.poll()).toEqual([]);

		const custom = sb.crm.hubspot.seedDeal({ dealname: 'Custom pipeline', dealstage: HUBSPOT_STAGES.contractOut });
		const standard = sb.crm.hubspot.seedDeal({ dealname: 'Default pipeline', dealstage: 'contractsent' });
		sb.crm.hubspot.moveDeal(custom.id, HUBSPOT_STAGES.won);
		sb.crm.hubspot.moveDeal(standard.id, 'closedwon');
		const reported = await trigger.poll();
		expect(reported.map((item) => item.dealId).sort()).toEqual([custom.id, standard.id].sort());

		sb.crm.hubspot.touchDeal(custom.id, { dealname: 'Custom pipeline (renamed)' });
		expect(await trigger.poll()).toEqual([]);

		const lost = sb.crm.hubspot.seedDeal({ dealname: 'Lost' });
		sb.crm.hubspot.moveDeal(lost.id, 'closedlost');
		expect(await trigger.poll()).toEqual([]);
	});
});
