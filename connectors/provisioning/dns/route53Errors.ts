import { ConnectorError, isConnectorError, kindForStatus, redact, type ErrorKind } from '../../core';

export const ROUTE53_VENDOR = 'route53';

const NAME_KINDS: Record<string, ErrorKind> = {
	NoSuchHostedZone: 'not_found',
	HostedZoneNotFound: 'not_found',
	NoSuchChange: 'not_found',
	InvalidInput: 'validation',
	InvalidDomainName: 'validation',
	InvalidArgument: 'validation',
	Throttling: 'rate_limited',
	ThrottlingException: 'rate_limited',
	TooManyRequestsException: 'rate_limited',
	RequestLimitExceeded: 'rate_limited',
	// Route 53 is still applying an earlier change batch for this zone: the same request succeeds a little later.
	PriorRequestNotComplete: 'transient',
	ConcurrentModification: 'transient',
	ServiceUnavailable: 'transient',
	InternalFailure: 'transient',
	TimeoutError: 'transient',
	AccessDenied: 'auth',
	AccessDeniedException: 'auth',
	NotAuthorizedException: 'auth',
	InvalidClientTokenId: 'auth',
	UnrecognizedClientException: 'auth',
	SignatureDoesNotMatch: 'auth',
	ExpiredToken: 'auth',
	ExpiredTokenException: 'auth',
	CredentialsProviderError: 'auth',
};

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

interface AwsErrorLike {
	name?: string;
	message?: string;
	code?: string;
	messages?: string[];
	$fault?: 'client' | 'server';
	$metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * Maps what the AWS SDK throws into the taxonomy. The SDK error is not kept as `cause` (it carries the raw response);
 * messages pass through redaction, and the secret access key is registered as a secret by the provider.
 */
export function mapRoute53Error(error: unknown): ConnectorError {
	if (isConnectorError(error)) return error;
	const aws = (error ?? {}) as AwsErrorLike;
	const name = aws.name ?? 'Error';
	const status = aws.$metadata?.httpStatusCode;
	const base = { vendor: ROUTE53_VENDOR, status, code: name, details: aws.$metadata?.requestId ? { requestId: aws.$metadata.requestId } : undefined };
	if (name === 'InvalidChangeBatch') return fromInvalidChangeBatch(aws, base);
	const message = aws.message || 'no message';
	if (typeof aws.code === 'string' && NETWORK_CODES.has(aws.code)) {
		return new ConnectorError('transient', `Route 53 could not be reached: ${message}`, { ...base, code: aws.code });
	}
	const kind: ErrorKind = NAME_KINDS[name] ?? (aws.$fault === 'server' ? 'transient' : status ? kindForStatus(status) : 'permanent');
	if (kind === 'validation') return new ConnectorError(kind, `Route 53 refused the request (${name}): ${message}`, { ...base, field: 'record', expected: redact(message) });
	if (kind === 'not_found' && name !== 'NoSuchChange') return new ConnectorError(kind, `Route 53 hosted zone not found: ${message}`, { ...base, field: 'zone' });
	return new ConnectorError(kind, `Route 53 ${name}: ${message}`, base);
}

/** One error code for many causes: the messages tell a missing record, a clash and a bad value apart. */
function fromInvalidChangeBatch(aws: AwsErrorLike, base: { vendor: string; status?: number; code: string; details?: unknown }): ConnectorError {
	const messages = aws.messages?.length ? aws.messages : [aws.message ?? 'invalid change batch'];
	const text = messages.join('; ');
	if (/but it was not found/i.test(text)) {
		return new ConnectorError('not_found', `Route 53 has no such record set: ${text}`, base);
	}
	if (/already exists|conflicts with other records|values provided do not match/i.test(text)) {
		return new ConnectorError('conflict', `Route 53 refused a clashing record: ${text}`, base);
	}
	const field = /\bTTL\b/i.test(text) ? 'ttl' : /RDATA|value|character string/i.test(text) ? 'content' : /name|domain/i.test(text) ? 'name' : 'record';
	return new ConnectorError('validation', `Route 53 refused "${field}": ${text}`, { ...base, field, expected: redact(text) });
}
