import { ConnectorError, isConnectorError, kindForStatus, type ErrorKind } from '../../core';

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

const AUTH = /^(AccessDenied|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|InvalidSignature|SignatureDoesNotMatch|MissingAuthenticationToken|AuthFailure|KMSKeyNotAccessible|IncompleteSignature)/;
const THROTTLE = /^(Throttling|ThrottlingException|TooManyRequests|RequestLimitExceeded|SlowDown|PriorRequestNotComplete)/;
const TRANSIENT = /^(InternalFailure|InternalServiceError|ServiceUnavailable|InsufficientDBInstanceCapacity|RequestTimeout|InvalidDBInstanceState)/;
const NOT_FOUND = /(NotFound|ResourceNotFound)/;
const CONFLICT = /(AlreadyExists|ResourceExists)/;
const QUOTA = /(Quota|LimitExceeded)/;
const VALIDATION = /^(InvalidParameter|ValidationError|MissingParameter|InvalidRequest|MalformedPolicyDocument|InvalidSubnet|InvalidVPCNetworkState|StorageTypeNotSupported|DBSubnetGroupNotFound|DBSecurityGroupNotFound|DBParameterGroupNotFound|InvalidDBSubnetGroup)/;

/** An AWS service error's name → the taxonomy (the name, not the HTTP status, carries the meaning in RDS' XML protocol). */
export function kindForAwsError(name: string, status: number | undefined): ErrorKind {
	if (AUTH.test(name)) return 'auth';
	if (THROTTLE.test(name)) return 'rate_limited';
	if (TRANSIENT.test(name)) return 'transient';
	// Missing subnet groups etc. are configuration mistakes, so VALIDATION is checked before the generic NotFound.
	if (VALIDATION.test(name)) return 'validation';
	if (NOT_FOUND.test(name)) return 'not_found';
	if (CONFLICT.test(name)) return 'conflict';
	if (QUOTA.test(name)) return 'permanent';
	if (status !== undefined) return kindForStatus(status);
	// No HTTP answer at all: a timeout is worth retrying, anything else is a bug or a misconfiguration.
	return /Timeout|TimedOut/i.test(name) ? 'transient' : 'permanent';
}

/** Anything an AWS SDK v3 client throws as a ConnectorError (quota errors are permanent, so not retried). */
export function mapAwsError(error: unknown, vendor: string, doing: string): ConnectorError {
	if (isConnectorError(error)) return error;
	const name = (error as { name?: unknown })?.name;
	const code = (error as { code?: unknown })?.code;
	const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
	const message = error instanceof Error ? error.message : String(error);
	if (typeof code === 'string' && NETWORK_CODES.has(code)) {
		return new ConnectorError('transient', `${doing}: ${vendor} could not be reached (${message})`, { vendor, code });
	}
	const errorName = typeof name === 'string' ? name : 'Error';
	const kind = kindForAwsError(errorName, status);
	return new ConnectorError(kind, `${doing}: ${errorName}: ${message}`, {
		vendor,
		status,
		code: errorName,
		details: { requestId: (error as { $metadata?: { requestId?: string } })?.$metadata?.requestId },
	});
}
