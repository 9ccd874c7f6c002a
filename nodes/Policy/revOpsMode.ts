/**
 * "Rules From: RevOps Config": the Contract Policy node as one face of the RevOps engine. The node's contract fields
 * become contract_activation attributes, judged by the tenant's config with its engine (built-in or OPA).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validationError } from '../../connectors/core';
import { listValue, policyJson } from '../RevOps/fields';
import { REVOPS_CREDENTIAL, settingsCache } from '../RevOps/settings';

/** 0 and blanks mean "not stated" in the editor; the attribute is then left out. */
function stated(value: unknown): unknown {
	return value === 0 || value === '' || value === null || value === undefined ? undefined : value;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

/** The contract_activation attributes of one item, from the node's contract fields. */
export function contractActivationAttributes(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const param = (name: string, fallback?: unknown) => context.getNodeParameter(name, itemIndex, fallback) as unknown;
	const json = context.getInputData()[itemIndex].json;
	const id = text(param('contractId', '')) ?? text(json.businessKey) ?? text(json.orderId);
	if (id === undefined) throw validationError('contractId', "the contract ID (empty reads the item's businessKey or orderId, and it has neither)");
	const contract: IDataObject = { id, signed: param('signed') as boolean, has_non_standard_terms: param('hasNonStandardTerms', false) === true };
	const optional = { jurisdiction: text(param('jurisdiction')), term_length_months: stated(param('termMonths')), liability_cap_multiple: stated(param('liabilityCapMultiple', 0)) };
	for (const [key, value] of Object.entries(optional)) if (value !== undefined) contract[key] = value as IDataObject[string];
	return {
		contract,
		approvals: listValue(param('approvals'), 'approvals'),
		required_approvals: listValue(param('requiredApprovals'), 'requiredApprovals'),
		receipts: listValue(param('receipts', ''), 'receipts'),
	};
}

/** Evaluates each item's contract with the credential's config and engine; `policy.allow` routes it as in the other mode. */
export function revOpsEvaluator(context: IExecuteFunctions): (itemIndex: number) => Promise<IDataObject> {
	const settingsFor = settingsCache();
	return async (itemIndex) => {
		const { tenant, config, engine } = settingsFor((await context.getCredentials(REVOPS_CREDENTIAL, itemIndex)) as ICredentialDataDecryptedObject);
		const result = await engine.evaluate('contract_activation', contractActivationAttributes(context, itemIndex), config);
		return { policy: 'contract_activation', allow: result.decision.allow, ...policyJson(tenant, result) };
	};
}
