/**
 * The shipped contract-signed template, made to fail at a chosen point so the error workflow has something real to
 * undo: the vendors' state (Stripe subscription, Super Admin tenant switched on) and the receipts are the ones the
 * template itself produced. Used by the in-process workflow tests and the end-to-end compensation-failure scenario.
 *
 * The cut is placed by receipt step, not node name, so it stays valid while the template evolves: everything after
 * the receipt of `superadmin.subscription.enable` (the commit point, VTM, the partner email) is replaced by a Stop and
 * Error node, optionally preceded by a `provisioning.committed` receipt like the template's own commit point.
 */
import type { WorkflowJson } from '../harness';

export const FAILING_NODE = 'Fail After Entitlement';

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, any>;
	position: [number, number];
	webhookId?: string;
	[key: string]: unknown;
}

export interface FailingVariantOptions {
	/** Write a `provisioning.committed` receipt before failing (the contract is then past its commit point). */
	committed?: boolean;
	/** A different workflow id/name and webhook path, to import the variant next to the original (e2e). */
	identity?: { id: string; name: string; webhookSuffix: string };
}

/** The template failing right after the entitlement was switched on (and its receipt written). */
export function failsAfterEntitlement(template: WorkflowJson, options: FailingVariantOptions = {}): WorkflowJson {
	const copy = structuredClone(template) as WorkflowJson & { id?: string; name?: string; nodes: TemplateNode[]; connections: Record<string, any> };
	// The node that records the entitlement: Enable Subscription with its own receipt (or a separate Evidence node).
	const entitlementReceipt = copy.nodes.find(
		(node) =>
			(node.type.endsWith('.evidence') && node.parameters.workflowStep === 'superadmin.subscription.enable') ||
			(node.parameters.recordReceipt === true && (node.parameters.receiptOptions as { step?: string } | undefined)?.step === 'superadmin.subscription.enable'),
	);
	if (!entitlementReceipt) throw new Error('the template has no receipt for superadmin.subscription.enable');
	const [x, y] = entitlementReceipt.position;
	const failing: TemplateNode = {
		parameters: { errorType: 'errorMessage', errorMessage: 'Simulated failure after the entitlement was switched on' },
		id: 'test-fail-after-entitlement',
		name: FAILING_NODE,
		type: 'n8n-nodes-base.stopAndError',
		typeVersion: 1,
		position: [x + 440, y + 300],
	};
	copy.nodes.push(failing);
	let next = FAILING_NODE;
	if (options.committed) {
		copy.nodes.push({
			parameters: {
				resource: 'receipt',
				operation: 'append',
				businessKey: entitlementReceipt.parameters.businessKey ?? entitlementReceipt.parameters.receiptBusinessKey,
				workflowStep: 'provisioning.committed',
				subject: '={{ \'tenant:\' + $json.tenantId }}',
				resourceRef: '={{ $json.tenantId }}',
				options: {},
			},
			id: 'test-receipt-committed',
			name: 'Receipt: Committed (test)',
			type: 'n8n-nodes-quote-to-cash.evidence',
			typeVersion: 1,
			position: [x + 220, y + 300],
		});
		copy.connections['Receipt: Committed (test)'] = { main: [[{ node: FAILING_NODE, type: 'main', index: 0 }]] };
		next = 'Receipt: Committed (test)';
	}
	copy.connections[entitlementReceipt.name] = { main: [[{ node: next, type: 'main', index: 0 }]] };
	if (options.identity) {
		copy.id = options.identity.id;
		copy.name = options.identity.name;
		for (const node of copy.nodes) if (typeof node.webhookId === 'string') node.webhookId = `${node.webhookId}${options.identity.webhookSuffix}`;
	}
	return copy;
}

/** A copy whose nodes wait 10 ms between retries instead of seconds (same number of tries), for in-process tests. */
export function withShortRetryWaits(workflow: WorkflowJson): WorkflowJson {
	const copy = structuredClone(workflow) as WorkflowJson & { nodes: Array<Record<string, any>> };
	for (const node of copy.nodes) if (node.retryOnFail) node.waitBetweenTries = 10;
	return copy;
}
