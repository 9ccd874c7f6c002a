// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * AWS Signature Version 4, verified in full: the fake recomputes the signature of every request from the
 * configured secret key (canonical request → string to sign → HMAC chain), like AWS does. Unknown key id and a
 * wrong signature are answered with each protocol's own error (see `checkSigV4`'s callers).
 */

/** @param {string} value */
const sha256 = (value) => crypto.createHash('sha256').update(value, 'utf8').digest('hex');
/** @param {crypto.BinaryLike} key @param {string} value */
const hmac = (key, value) => crypto.createHmac('sha256', key).update(value, 'utf8').digest();
/** RFC 3986 encoding as the AWS signer does it. @param {string} value */
const escapeUri = (value) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** @param {string} rawQuery */
function canonicalQuery(rawQuery) {
	const pairs = [...new URLSearchParams(rawQuery)].filter(([key]) => key.toLowerCase() !== 'x-amz-signature');
	return pairs
		.map(([key, value]) => [escapeUri(key), escapeUri(value)])
		.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
		.map(([key, value]) => `${key}=${value}`)
		.join('&');
}

/**
 * @typedef {{ accessKeyId: string, secretAccessKey: string }} AwsCredentials
 * @typedef {{ ok: true } | { ok: false, reason: 'missing' | 'unknown_key' | 'bad_signature', message: string }} SigV4Result
 */

/**
 * @param {import('../core/server').SandboxRequest} req
 * @param {AwsCredentials} credentials
 * @param {string} service signing name (`rds`, `secretsmanager`, `route53`)
 * @returns {SigV4Result}
 */
function checkSigV4(req, credentials, service) {
	const header = String(req.headers.authorization || '');
	const parsed = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(header);
	if (!parsed) return { ok: false, reason: 'missing', message: 'Missing Authentication Token' };
	const [, keyId, date, region, signedService, signedHeaders, signature] = parsed;
	if (keyId !== credentials.accessKeyId) return { ok: false, reason: 'unknown_key', message: 'The security token included in the request is invalid.' };
	const amzDate = String(req.headers['x-amz-date'] || '');
	const headerLines = signedHeaders
		.split(';')
		.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
		.join('');
	const payloadHash = typeof req.headers['x-amz-content-sha256'] === 'string' ? req.headers['x-amz-content-sha256'] : sha256(req.rawBody);
	const canonicalPath = encodeURIComponent(req.path).replace(/%2F/g, '/');
	const canonicalRequest = [req.method, canonicalPath, canonicalQuery(req.rawQuery), headerLines, signedHeaders, payloadHash].join('\n');
	const scope = `${date}/${region}/${signedService}/aws4_request`;
	const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
	const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), signedService), 'aws4_request');
	const expected = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
	const same = expected.length === signature.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
	if (!same || signedService !== service) {
		return { ok: false, reason: 'bad_signature', message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.' };
	}
	return { ok: true };
}

/** Random credentials in AWS's formats. */
function newAwsCredentials() {
	return {
		accessKeyId: `AKIA${crypto.randomBytes(8).toString('hex').toUpperCase().slice(0, 16)}`,
		secretAccessKey: crypto.randomBytes(30).toString('base64').replace(/[+/=]/g, 'x').slice(0, 40),
	};
}

module.exports = { checkSigV4, newAwsCredentials, escapeUri };
