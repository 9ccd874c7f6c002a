// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { checkSigV4 } = require('./awsAuth');
const { createFailSwitches, addFailRoute } = require('./timing');

/**
 * AWS Secrets Manager fake, JSON 1.1 protocol (`POST /`, `X-Amz-Target: secretsmanager.<Operation>`, body
 * `application/x-amz-json-1.1`; errors `{ __type, message }` with status 400): CreateSecret (ClientRequestToken
 * = VersionId, idempotent), GetSecretValue, DescribeSecret, DeleteSecret (recovery window, or
 * ForceDeleteWithoutRecovery). SigV4 verified in full. Shared with the RDS fake for managed master secrets.
 * Fail switch `create-secret`: the next CreateSecret answers InternalServiceError.
 */

/** @param {number} status @param {string} type @param {string} message */
const awsJsonError = (status, type, message) => ({ status, headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': type, 'x-amzn-RequestId': crypto.randomUUID() }, body: { __type: type, message } });

class SecretsError extends Error {
	/** @param {string} type @param {string} message @param {number} [status] */
	constructor(type, message, status = 400) {
		super(message);
		this.type = type;
		this.status = status;
	}
}

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const epochSeconds = () => Date.now() / 1000;

/**
 * @param {{ credentials: import('./awsAuth').AwsCredentials, region?: string, accountId?: string }} options
 */
function createSecretsManagerFake(options) {
	const region = options.region ?? 'us-east-1';
	const accountId = options.accountId ?? '123456789012';
	const switches = createFailSwitches(['create-secret']);
	/** @typedef {{ arn: string, name: string, description?: string, createdDate: number, lastChangedDate: number, deletedDate?: number, owningService?: string, tags: unknown[], versions: Map<string, { secretString?: string, secretBinary?: string, createdDate: number }>, current: string }} Secret */
	/** @type {Map<string, Secret>} */
	const secrets = new Map();

	/** @param {string} id name or ARN */
	function find(id) {
		return secrets.get(id) || [...secrets.values()].find((s) => s.arn === id) || null;
	}
	/** @param {string} id */
	function live(id) {
		const secret = find(id);
		if (!secret) throw new SecretsError('ResourceNotFoundException', NOT_FOUND);
		return secret;
	}

	/**
	 * Create a secret (what CreateSecret and the RDS fake's managed master password do).
	 * @param {{ Name?: unknown, SecretString?: unknown, SecretBinary?: unknown, ClientRequestToken?: unknown, Description?: unknown, Tags?: unknown }} input
	 * @param {string} [owningService]
	 */
	function createSecret(input, owningService) {
		if (typeof input.Name !== 'string' || !/^[\w/+=.@!-]{1,512}$/.test(input.Name)) throw new SecretsError('InvalidParameterException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
		const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : crypto.randomUUID();
		if (token.length < 32 || token.length > 64) throw new SecretsError('InvalidParameterException', 'ClientRequestToken must be 32-64 characters long.');
		const value = { secretString: typeof input.SecretString === 'string' ? input.SecretString : undefined, secretBinary: typeof input.SecretBinary === 'string' ? input.SecretBinary : undefined };
		const existing = secrets.get(input.Name);
		if (existing) {
			if (existing.deletedDate) throw new SecretsError('InvalidRequestException', `You can't create this secret because a secret with this name is already scheduled for deletion.`);
			const version = existing.versions.get(token);
			if (!version) throw new SecretsError('ResourceExistsException', `The operation failed because the secret ${input.Name} already exists.`);
			if (version.secretString !== value.secretString || version.secretBinary !== value.secretBinary) throw new SecretsError('ResourceExistsException', `You can't modify an existing version, you can only create new versions.`);
			return { ARN: existing.arn, Name: existing.name, VersionId: token };
		}
		const failure = switches.take('create-secret');
		if (failure) throw new SecretsError('InternalServiceError', failure.message ?? 'An error occurred on the server side.', 500);
		const now = epochSeconds();
		const suffix = crypto.randomBytes(6).toString('base64').replace(/[+/=]/g, 'x').slice(0, 6);
		/** @type {Secret} */
		const secret = { arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${input.Name}-${suffix}`, name: input.Name, description: typeof input.Description === 'string' ? input.Description : undefined, createdDate: now, lastChangedDate: now, owningService, tags: Array.isArray(input.Tags) ? input.Tags : [], versions: new Map([[token, { ...value, createdDate: now }]]), current: token };
		secrets.set(secret.name, secret);
		return { ARN: secret.arn, Name: secret.name, VersionId: token };
	}

	/** @param {Secret} secret */
	const describe = (secret) => ({
		ARN: secret.arn,
		Name: secret.name,
		Description: secret.description,
		CreatedDate: secret.createdDate,
		LastChangedDate: secret.lastChangedDate,
		DeletedDate: secret.deletedDate,
		OwningService: secret.owningService,
		Tags: secret.tags,
		VersionIdsToStages: Object.fromEntries([...secret.versions.keys()].map((id) => [id, id === secret.current ? ['AWSCURRENT'] : []])),
	});

	/** @type {Record<string, (input: any) => unknown>} */
	const operations = {
		CreateSecret: (input) => createSecret(input),
		GetSecretValue(input) {
			const secret = live(String(input.SecretId));
			if (secret.deletedDate) throw new SecretsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
			const versionId = typeof input.VersionId === 'string' ? input.VersionId : secret.current;
			const version = secret.versions.get(versionId);
			if (!version) throw new SecretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
			return { ARN: secret.arn, Name: secret.name, VersionId: versionId, SecretString: version.secretString, SecretBinary: version.secretBinary, VersionStages: versionId === secret.current ? ['AWSCURRENT'] : [], CreatedDate: version.createdDate };
		},
		DescribeSecret: (input) => describe(live(String(input.SecretId))),
		DeleteSecret(input) {
			const secret = live(String(input.SecretId));
			if (input.ForceDeleteWithoutRecovery && input.RecoveryWindowInDays !== undefined) {
				throw new SecretsError('InvalidParameterException', "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
			}
			const now = epochSeconds();
			if (input.ForceDeleteWithoutRecovery === true) {
				secrets.delete(secret.name);
				return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
			}
			const days = input.RecoveryWindowInDays ?? 30;
			if (!Number.isInteger(days) || days < 7 || days > 30) throw new SecretsError('InvalidParameterException', 'RecoveryWindowInDays must be between 7 and 30.');
			secret.deletedDate = secret.deletedDate ?? now;
			return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletedDate + days * 86_400 };
		},
	};

	const app = createSandboxServer({
		name: 'secretsManager',
		state: () => ({ secrets: [...secrets.values()].map((s) => ({ ...describe(s), versions: s.versions.size })), failNext: switches.list() }),
		reset: () => {
			secrets.clear();
			switches.clear();
		},
		faultBody: (status) => (status === 429 ? { __type: 'ThrottlingException', message: 'Rate exceeded' } : { __type: status === 503 ? 'ServiceUnavailable' : 'InternalServiceError', message: `Injected fault ${status}` }),
		onError: (error) => (error instanceof SecretsError ? awsJsonError(error.status, error.type, error.message) : awsJsonError(500, 'InternalServiceError', error instanceof Error ? error.message : String(error))),
	});
	addFailRoute(app, switches);

	app.route('POST', '/', (req) => {
		const auth = checkSigV4(req, options.credentials, 'secretsmanager');
		if (!auth.ok) return awsJsonError(400, auth.reason === 'missing' ? 'MissingAuthenticationTokenException' : auth.reason === 'unknown_key' ? 'UnrecognizedClientException' : 'InvalidSignatureException', auth.message);
		const target = /^secretsmanager\.(\w+)$/.exec(String(req.headers['x-amz-target'] || ''));
		const operation = target ? operations[target[1]] : undefined;
		if (!operation) return awsJsonError(400, 'UnknownOperationException', `Unknown operation ${req.headers['x-amz-target'] || '(no X-Amz-Target)'}`);
		let input;
		try {
			input = req.rawBody ? JSON.parse(req.rawBody) : {};
		} catch {
			return awsJsonError(400, 'SerializationException', 'Start of structure or map found where not expected.');
		}
		const output = operation(input);
		return { headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': crypto.randomUUID() }, body: JSON.stringify(output) };
	});

	return Object.assign(app, {
		createSecret,
		/** The current SecretString of a secret by name or ARN (admin view). @param {string} id */
		secretValue: (id) => {
			const secret = find(id);
			return secret ? secret.versions.get(secret.current)?.secretString : undefined;
		},
		/** Remove a secret at once (what RDS does to a managed secret when its instance is deleted). @param {string} id */
		removeSecret: (id) => {
			const secret = find(id);
			if (secret) secrets.delete(secret.name);
		},
		failNext: switches.arm,
	});
}

module.exports = { createSecretsManagerFake };
