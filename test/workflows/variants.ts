/**
 * The shipped quote-to-cash template switched to HubSpot the way the README tells a user to: HubSpot and its
 * credential on every CRM node, HubSpot property names and stage IDs in Config. Used by the workflow tests and the
 * end-to-end stack (which imports it next to the Salesforce original, under its own id and webhook paths).
 */
import type { WorkflowJson } from '../harness';

const { CRM_FIELDS, HUBSPOT_STAGES } = require('../../sandbox/quoteToCash');

export const HUBSPOT_CREDENTIAL = { hubspotCrmApi: { id: 'q2cHubspotCrm001', name: 'HubSpot (sandbox)' } };

export function hubspotVariant(workflow: WorkflowJson, identity: { id?: string; name?: string; webhookSuffix?: string } = {}): WorkflowJson {
	const copy = structuredClone(workflow) as WorkflowJson & { id?: string; name?: string; nodes: Array<Record<string, any>> };
	if (identity.id) copy.id = identity.id;
	if (identity.name) copy.name = identity.name;
	for (const node of copy.nodes) {
		if (node.parameters?.provider === 'salesforce') {
			node.parameters.provider = 'hubspot';
			node.credentials = { ...HUBSPOT_CREDENTIAL };
		}
		if (identity.webhookSuffix && typeof node.webhookId === 'string') node.webhookId = `${node.webhookId}${identity.webhookSuffix}`;
		if (node.name === 'Config') {
			const config = JSON.parse(String(node.parameters.jsonOutput));
			config.crm.fields = CRM_FIELDS.hubspot;
			config.crm.stages = { live: '', notSigned: HUBSPOT_STAGES.contractOut };
			node.parameters.jsonOutput = JSON.stringify(config, null, 2);
		}
	}
	return copy;
}
