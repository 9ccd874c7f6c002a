import { ConnectorError } from '../core';
import { evaluateContractActivation, jurisdictionAllowed, parsePolicyConfig, policyVersion } from './index';

const policy = {
	requireSignature: true,
	requiredApprovals: ['SALES_MANAGER', 'FINANCE'],
	allowedJurisdictions: ['US', 'CA', 'GB'],
	maxAmount: 500_000,
	minTermMonths: 12,
	maxTermMonths: 36,
	requiredReceipts: ['ACTIVATE_ORDER', 'PROVISION'],
};

const good = { signed: true, approvals: ['sales_manager', 'finance'], jurisdiction: 'us', amount: 120_000, termMonths: 12, currency: 'USD' };

function codes(attributes: Record<string, unknown>, config: Record<string, unknown> = policy): string[] {
	return evaluateContractActivation(config, attributes).blocking_issues.map((issue) => issue.code);
}

function thrown(fn: () => unknown): ConnectorError {
	try {
		fn();
	} catch (error) {
		return error as ConnectorError;
	}
	throw new Error('expected a throw');
}

describe('evaluateContractActivation', () => {
	it('allows a signed, approved, in-limit contract and reports what it evaluated', () => {
		const decision = evaluateContractActivation(policy, good);
		expect(decision.allow).toBe(true);
		expect(decision.blocking_issues).toEqual([]);
		expect(decision.summary).toBe('');
		expect(decision.required_receipts).toEqual(['ACTIVATE_ORDER', 'PROVISION']);
		expect(decision.allowed_jurisdictions).toEqual(['US', 'CA', 'GB']);
		expect(decision.evaluated).toEqual({
			signed: true,
			approvals: ['SALES_MANAGER', 'FINANCE'],
			jurisdiction: 'US',
			amount: 120_000,
			termMonths: 12,
			currency: 'usd',
		});
		expect(decision.policy_version).toMatch(/^[0-9a-f]{64}$/);
	});

	it('blocks an unsigned contract, unless the policy does not require a signature', () => {
		expect(codes({ ...good, signed: false })).toEqual(['SIGNATURE_MISSING']);
		expect(codes({ ...good, signed: false }, { ...policy, requireSignature: false })).toEqual([]);
	});

	it('blocks for each missing approval, naming the role', () => {
		const decision = evaluateContractActivation(policy, { ...good, approvals: ['FINANCE'] });
		expect(decision.allow).toBe(false);
		expect(decision.blocking_issues).toEqual([
			{ code: 'APPROVAL_MISSING', field: 'approvals', message: 'The required approval "SALES_MANAGER" is missing' },
		]);
		expect(codes({ ...good, approvals: [] })).toEqual(['APPROVAL_MISSING', 'APPROVAL_MISSING']);
	});

	it('reads approvals as the contract shape, a list or comma-separated text', () => {
		expect(codes({ ...good, approvals: [{ role: 'FINANCE' }, { role: 'SALES_MANAGER', approvedBy: 'x' }] })).toEqual([]);
		expect(codes({ ...good, approvals: 'finance, sales_manager' })).toEqual([]);
		expect(codes({ ...good, approvals: undefined })).toEqual(['APPROVAL_MISSING', 'APPROVAL_MISSING']);
	});

	it('blocks a jurisdiction that is missing or not allowed; regions of an allowed country pass', () => {
		expect(codes({ ...good, jurisdiction: 'DE' })).toEqual(['JURISDICTION_NOT_ALLOWED']);
		expect(codes({ ...good, jurisdiction: '' })).toEqual(['JURISDICTION_MISSING']);
		expect(codes({ ...good, jurisdiction: undefined })).toEqual(['JURISDICTION_MISSING']);
		expect(codes({ ...good, jurisdiction: 'us-ca' })).toEqual([]);
		expect(codes({ ...good, jurisdiction: 'USA' })).toEqual(['JURISDICTION_NOT_ALLOWED']);
		expect(codes({ ...good, jurisdiction: 'DE' }, { ...policy, allowedJurisdictions: [] })).toEqual([]);
		expect(jurisdictionAllowed('FR', ['*'])).toBe(true);
	});

	it('blocks amounts over the limit (the limit itself passes); no limit when left out', () => {
		expect(codes({ ...good, amount: 500_001 })).toEqual(['AMOUNT_OVER_LIMIT']);
		expect(codes({ ...good, amount: 500_000 })).toEqual([]);
		const noLimit: Record<string, unknown> = { ...policy };
		delete noLimit.maxAmount;
		expect(codes({ ...good, amount: 99_999_999 }, noLimit)).toEqual([]);
	});

	it('blocks terms outside the min/max months (bounds inclusive)', () => {
		expect(codes({ ...good, termMonths: 11 })).toEqual(['TERM_TOO_SHORT']);
		expect(codes({ ...good, termMonths: 37 })).toEqual(['TERM_TOO_LONG']);
		expect(codes({ ...good, termMonths: 36 })).toEqual([]);
	});

	it('reports every failed rule at once, in a stable order with a readable summary', () => {
		const decision = evaluateContractActivation(policy, { signed: false, approvals: [], jurisdiction: 'DE', amount: 900_000, termMonths: 1 });
		expect(decision.blocking_issues.map((i) => i.code)).toEqual([
			'SIGNATURE_MISSING',
			'APPROVAL_MISSING',
			'APPROVAL_MISSING',
			'JURISDICTION_NOT_ALLOWED',
			'AMOUNT_OVER_LIMIT',
			'TERM_TOO_SHORT',
		]);
		expect(decision.summary).toContain('The contract is not signed; The required approval "SALES_MANAGER" is missing');
	});

	it('is deterministic: same inputs, same decision; key order and list spelling do not change the version', () => {
		expect(evaluateContractActivation(policy, good)).toEqual(evaluateContractActivation(policy, good));
		const reordered = { ...policy, requiredApprovals: 'sales_manager,finance', allowedJurisdictions: 'us, ca, gb' };
		expect(policyVersion(parsePolicyConfig(reordered))).toBe(policyVersion(parsePolicyConfig(policy)));
		expect(policyVersion(parsePolicyConfig({ ...policy, maxAmount: 1 }))).not.toBe(policyVersion(parsePolicyConfig(policy)));
	});

	it('coerces the strings a text expression yields, and rejects values that are not numbers or booleans', () => {
		expect(codes({ ...good, signed: 'true', amount: '1200', termMonths: '24' })).toEqual([]);
		expect(codes({ ...good, signed: 'false' })).toEqual(['SIGNATURE_MISSING']);
		const error = thrown(() => evaluateContractActivation(policy, { ...good, amount: 'lots' }));
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error.kind).toBe('validation');
		expect(error.field).toBe('attributes.amount');
	});

	it('names the attribute at fault', () => {
		expect(thrown(() => evaluateContractActivation(policy, { ...good, signed: 'yes' })).field).toBe('attributes.signed');
		expect(thrown(() => evaluateContractActivation(policy, { ...good, termMonths: 1.5 })).message).toMatch(/termMonths.*whole number of months/);
		expect(thrown(() => evaluateContractActivation(policy, { ...good, currency: 'dollars' })).field).toBe('attributes.currency');
		expect(thrown(() => evaluateContractActivation(policy, { ...good, extra: 1 })).message).toMatch(/extra/);
	});

	it('names the config field at fault', () => {
		expect(thrown(() => evaluateContractActivation({ ...policy, maxAmount: -1 }, good)).field).toBe('policy.maxAmount');
		expect(thrown(() => evaluateContractActivation({ ...policy, requireSignature: 'yes' }, good)).field).toBe('policy.requireSignature');
		expect(thrown(() => evaluateContractActivation({ ...policy, minTermMonths: 40 }, good)).field).toBe('policy.minTermMonths');
		expect(thrown(() => evaluateContractActivation({ ...policy, requiredApprovals: [''] }, good)).field).toBe('policy.requiredApprovals.0');
	});

	it('applies safe defaults: a signature is required, nothing else', () => {
		expect(parsePolicyConfig({})).toEqual({ requireSignature: true, requiredApprovals: [], allowedJurisdictions: [], requiredReceipts: [] });
		expect(evaluateContractActivation({}, { ...good, signed: false }).allow).toBe(false);
	});
});
