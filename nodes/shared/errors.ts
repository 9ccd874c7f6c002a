import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { isConnectorError, redact } from '../../connectors/core';

/**
 * Turns anything a connector throws into the n8n error a user should see: validation problems as
 * NodeOperationError naming the field, vendor failures as NodeApiError with the HTTP code. Messages
 * are already redacted by the connector; the description adds what to do next.
 */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (isConnectorError(error)) {
		const description = error.kind === 'rate_limited' && !error.retryable ? QUOTA_USED_UP : describeKind(error.kind, error.field, error.expected);
		if (error.kind === 'validation' && error.status === undefined) {
			return new NodeOperationError(node, error.message, { itemIndex, description });
		}
		return new NodeApiError(node, error.toJSON() as JsonObject, {
			itemIndex,
			message: error.message,
			description,
			httpCode: error.status === undefined ? undefined : String(error.status),
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, redact(message), { itemIndex });
}

const QUOTA_USED_UP = "The vendor account's request quota (daily or hourly) is used up; retrying now cannot succeed. Retry after the vendor's quota window resets, or raise the account's allocation.";

function describeKind(kind: string, field?: string, expected?: string): string {
	switch (kind) {
		case 'validation':
			return field ? `Check the value of "${field}"${expected ? `: it must be ${expected}` : ''}.` : 'Check the input values.';
		case 'auth':
			return 'The credential was rejected. Check its values and permissions, then use "Test" on the credential.';
		case 'not_found':
			return 'The record does not exist (or this credential cannot see it).';
		case 'conflict':
			return 'The record changed or already exists in a different state. Re-read it and retry.';
		case 'rate_limited':
			return 'The vendor is rate limiting this account; retries were exhausted. Try again later.';
		case 'transient':
			return 'The vendor was temporarily unavailable; retries were exhausted. The call is safe to retry.';
		default:
			return 'The vendor refused the request.';
	}
}

/** The secret-free error object put in an item's json when "Continue On Fail" is on. */
export function errorJson(error: unknown): Record<string, unknown> {
	if (isConnectorError(error)) return { error: error.message, ...error.toJSON() };
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown })?.description;
	return redact({ error: message, ...(typeof description === 'string' ? { description } : {}) });
}
