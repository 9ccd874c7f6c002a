// @ts-check
'use strict';

/**
 * DocuSign REST errors: `{ errorCode, message }`, HTTP 400 for nearly every business error (the swagger documents
 * only 200/201 and 400 "Error encountered"), 401 for a bad token, 429 for the hourly/burst limits.
 */

/** @param {number} status @param {string} errorCode @param {string} message */
const dsError = (status, errorCode, message) => ({ status, body: { errorCode, message } });

const errors = {
	invalidToken: () => dsError(401, 'AUTHORIZATION_INVALID_TOKEN', 'The access token provided is expired, revoked or malformed.'),
	noMembership: () => dsError(400, 'USER_LACKS_MEMBERSHIP', 'The UserID does not have a valid membership in this Account.'),
	envelopeMissing: () => dsError(400, 'ENVELOPE_DOES_NOT_EXIST', 'The envelope specified either does not exist or you have no rights to it.'),
	/** @param {string} param @param {string} [detail] */
	invalidParameter: (param, detail) =>
		dsError(400, 'INVALID_REQUEST_PARAMETER', `The request contained at least one invalid parameter. ${detail || `Invalid value specified for '${param}'.`}`),
	/** @param {string} detail */
	invalidBody: (detail) => dsError(400, 'INVALID_REQUEST_BODY', `The request body is missing or improperly formatted. ${detail}`),
	/** @param {string} path */
	unknownUrl: (path) => dsError(404, 'RESOURCE_NOT_FOUND', `The URL provided does not resolve to a resource (${path}).`),
};

/** Vendor-shaped bodies for injected faults. @param {number} status @param {{ path: string }} req */
function faultBody(status, req) {
	if (req.path.startsWith('/oauth/')) return { error: status === 429 ? 'rate_limited' : 'server_error' };
	if (status === 429) return { errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED', message: 'The maximum number of hourly API invocations has been exceeded.' };
	if (status === 401) return errors.invalidToken().body;
	return { errorCode: 'UNSPECIFIED_ERROR', message: `Injected fault ${status}` };
}

module.exports = { dsError, errors, faultBody };
