// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { checkSigV4 } = require('./awsAuth');
const { xmlDocument } = require('./xml');
const { createScheduler, createFailSwitches, addFailRoute } = require('./timing');
const { createDatabaseHost } = require('./postgres');

/**
 * Amazon RDS fake, AWS Query protocol (`POST /` form `Action=…&Version=2014-10-31`, XML answers in RDS's shapes,
 * errors `<ErrorResponse><Error><Type>Sender</Type><Code>…`): CreateDBInstance, DescribeDBInstances,
 * ModifyDBInstance, DeleteDBInstance. Instances go creating → backing-up → available and deleting → gone, each
 * step taking `delays` ms (× timeScale); a new instance is a REAL database + master role (see postgres.js), its
 * Endpoint the database's host/port. ManageMasterUserPassword stores `{username,password}` in the Secrets
 * Manager fake as `rds!db-…` (MasterUserSecret.SecretArn). Fail switch `db-instance`: the next instance ends `failed`.
 */

const XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const IDENTIFIER = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/;
const PG_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

class RdsError extends Error {
	/** @param {string} code @param {string} message @param {number} [status] @param {'Sender' | 'Receiver'} [type] */
	constructor(code, message, status = 400, type = 'Sender') {
		super(message);
		/** @type {string} */ this.code = code;
		/** @type {number} */ this.status = status;
		/** @type {'Sender' | 'Receiver'} */ this.type = type;
	}
}

/** @param {number} status @param {string} code @param {string} message @param {'Sender' | 'Receiver'} [type] */
const errorXml = (status, code, message, type = status >= 500 ? 'Receiver' : 'Sender') => ({
	status,
	headers: { 'Content-Type': 'text/xml' },
	body: xmlDocument('ErrorResponse', XMLNS, { Error: { Type: type, Code: code, Message: message }, RequestId: crypto.randomUUID() }),
});

/**
 * @param {{ credentials: import('./awsAuth').AwsCredentials, secrets: ReturnType<typeof import('./secretsManager').createSecretsManagerFake>,
 *   postgresAdminUrl?: string, region?: string, accountId?: string, timeScale?: number,
 *   delays?: Partial<{ creating: number, backingUp: number, deleting: number }> }} options
 */
function createRdsFake(options) {
	const region = options.region ?? 'us-east-1';
	const accountId = options.accountId ?? '123456789012';
	const delays = { creating: 1000, backingUp: 500, deleting: 500, ...options.delays };
	const scheduler = createScheduler({ timeScale: options.timeScale });
	const switches = createFailSwitches(['db-instance']);
	const databases = createDatabaseHost({ postgresAdminUrl: options.postgresAdminUrl });
	/** @type {Map<string, any>} */
	const instances = new Map();
	/** @type {{ id: string, at: string, status: string, note?: string }[]} */
	const history = [];

	/** @param {any} instance @param {string} status @param {string} [note] */
	function setStatus(instance, status, note) {
		instance.status = status;
		history.push({ id: instance.id, at: new Date().toISOString(), status, ...(note ? { note } : {}) });
	}

	/** The instance as DescribeDBInstances shows it (never the password). @param {any} i */
	const view = (i) => ({
		DBInstanceIdentifier: i.id,
		DBInstanceClass: i.instanceClass,
		Engine: i.engine,
		DBInstanceStatus: i.status,
		MasterUsername: i.username,
		DBName: i.dbName,
		Endpoint: i.endpoint ? { Address: i.endpoint.host, Port: i.endpoint.port, HostedZoneId: 'Z2R2ITUGPM61AM' } : undefined,
		AllocatedStorage: i.allocatedStorage,
		InstanceCreateTime: i.status === 'creating' ? undefined : i.createdAt,
		EngineVersion: i.engineVersion,
		MultiAZ: false,
		PubliclyAccessible: false,
		StorageEncrypted: true,
		DbiResourceId: i.resourceId,
		DBInstanceArn: `arn:aws:rds:${region}:${accountId}:db:${i.id}`,
		DeletionProtection: i.deletionProtection,
		MasterUserSecret: i.secretArn ? { SecretArn: i.secretArn, SecretStatus: i.status === 'creating' ? 'creating' : 'active', KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/${i.resourceId.toLowerCase()}` } : undefined,
		TagList: i.tags.map((/** @type {any} */ tag) => ({ Tag: tag })),
	});

	/** @param {string} id */
	function get(id) {
		const instance = instances.get(id.toLowerCase());
		if (!instance) throw new RdsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
		return instance;
	}

	/** @param {URLSearchParams} form */
	function tagsOf(form) {
		/** @type {Record<string, { Key?: string, Value?: string }>} */
		const tags = {};
		for (const [key, value] of form) {
			const match = /^Tags\.(?:member|Tag)\.(\d+)\.(Key|Value)$/.exec(key);
			if (match) (tags[match[1]] ??= {})[/** @type {'Key' | 'Value'} */ (match[2])] = value;
		}
		return Object.values(tags);
	}

	/** @param {any} instance @param {string} password */
	function startCreating(instance, password) {
		const failure = switches.take('db-instance');
		scheduler.after(delays.creating, async () => {
			if (failure) return setStatus(instance, 'failed', failure.message ?? 'injected failure');
			try {
				instance.endpoint = await databases.provision(instance.id, { dbName: instance.dbName, username: instance.username, password });
			} catch (error) {
				return setStatus(instance, 'failed', error instanceof Error ? error.message : String(error));
			}
			if (instances.get(instance.id) !== instance) return databases.drop(instance.id);
			setStatus(instance, 'backing-up');
			scheduler.after(delays.backingUp, () => instance.status === 'backing-up' && setStatus(instance, 'available'));
		});
	}

	/** @type {Record<string, (form: URLSearchParams) => Record<string, unknown>>} */
	const actions = {
		CreateDBInstance(form) {
			const id = form.get('DBInstanceIdentifier') || '';
			if (!IDENTIFIER.test(id) || id.endsWith('-')) throw new RdsError('InvalidParameterValue', 'The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.');
			const instanceClass = form.get('DBInstanceClass') || '';
			if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceClass)) throw new RdsError('InvalidParameterValue', `Invalid DB Instance class: ${instanceClass}`);
			if (form.get('Engine') !== 'postgres') throw new RdsError('InvalidParameterValue', `Invalid DB engine: ${form.get('Engine') ?? ''} (this fake runs postgres only)`);
			const username = form.get('MasterUsername') || '';
			if (!PG_NAME.test(username)) throw new RdsError('InvalidParameterValue', 'The parameter MasterUsername must be provided and must begin with a letter and contain only alphanumeric characters.');
			const managed = form.get('ManageMasterUserPassword') === 'true';
			const requested = form.get('MasterUserPassword');
			if (managed && requested) throw new RdsError('InvalidParameterCombination', 'You can\'t specify MasterUserPassword and ManageMasterUserPassword at the same time.');
			if (!managed && (!requested || requested.length < 8 || /[/"@ ]/.test(requested))) throw new RdsError('InvalidParameterValue', 'The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides \'/\', \'@\', \'"\', \' \' may be used, at least 8 characters.');
			const dbName = form.get('DBName') || id.replace(/-/g, '_');
			if (!PG_NAME.test(dbName)) throw new RdsError('InvalidParameterValue', 'DBName must begin with a letter and contain only alphanumeric characters.');
			if (instances.has(id.toLowerCase())) throw new RdsError('DBInstanceAlreadyExists', 'DB instance already exists');
			const password = managed ? crypto.randomBytes(21).toString('base64').replace(/[/+=]/g, 'x') : /** @type {string} */ (requested);
			const resourceId = `db-${crypto.randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`;
			const instance = {
				id: id.toLowerCase(), instanceClass, engine: 'postgres', engineVersion: form.get('EngineVersion') || '16.4', username, dbName, resourceId,
				allocatedStorage: Number(form.get('AllocatedStorage') || 20), deletionProtection: form.get('DeletionProtection') === 'true',
				tags: tagsOf(form), createdAt: new Date().toISOString(), status: '', endpoint: null, secretArn: /** @type {string | null} */ (null),
			};
			if (managed) {
				const name = `rds!${resourceId.toLowerCase()}-${crypto.randomUUID()}`;
				instance.secretArn = options.secrets.createSecret({ Name: name, SecretString: JSON.stringify({ username, password }), Description: `Secret associated with primary RDS DB instance: arn:aws:rds:${region}:${accountId}:db:${instance.id}` }, 'rds').ARN;
			}
			instances.set(instance.id, instance);
			setStatus(instance, 'creating');
			startCreating(instance, password);
			return { DBInstance: view(instance) };
		},
		DescribeDBInstances(form) {
			const id = form.get('DBInstanceIdentifier');
			const list = id ? [get(id)] : [...instances.values()];
			return { DBInstances: list.map((i) => ({ DBInstance: view(i) })) };
		},
		ModifyDBInstance(form) {
			const instance = get(form.get('DBInstanceIdentifier') || '');
			if (instance.status !== 'available') throw new RdsError('InvalidDBInstanceState', `Database instance is not in available state.`);
			const protection = form.get('DeletionProtection');
			if (protection === 'true' || protection === 'false') instance.deletionProtection = protection === 'true';
			return { DBInstance: view(instance) };
		},
		DeleteDBInstance(form) {
			const instance = get(form.get('DBInstanceIdentifier') || '');
			if (instance.status === 'deleting') throw new RdsError('InvalidDBInstanceState', `Instance ${instance.id} is already being deleted.`);
			if (instance.status !== 'available' && instance.status !== 'failed') throw new RdsError('InvalidDBInstanceState', `Instance ${instance.id} is currently ${instance.status} - a final snapshot cannot be taken and it cannot be deleted yet.`);
			if (instance.deletionProtection) throw new RdsError('InvalidParameterCombination', 'Cannot delete protected DB Instance, please disable deletion protection and try again.');
			if (form.get('SkipFinalSnapshot') !== 'true' && !form.get('FinalDBSnapshotIdentifier')) throw new RdsError('InvalidParameterCombination', 'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
			setStatus(instance, 'deleting');
			scheduler.after(delays.deleting, async () => {
				await databases.drop(instance.id).catch(() => undefined);
				if (instance.secretArn) options.secrets.removeSecret(instance.secretArn);
				instances.delete(instance.id);
				history.push({ id: instance.id, at: new Date().toISOString(), status: 'deleted' });
			});
			return { DBInstance: view(instance) };
		},
	};

	const app = createSandboxServer({
		name: 'rds',
		state: () => ({ instances: [...instances.values()].map(view), history: [...history], databases: databases.list(), failNext: switches.list() }),
		reset: () => switches.clear(),
		faultBody: (status) => errorXml(status, status === 429 ? 'Throttling' : status === 503 ? 'ServiceUnavailable' : 'InternalFailure', `Injected fault ${status}`).body,
		onError: (error) => (error instanceof RdsError ? errorXml(error.status, error.code, error.message, error.type) : errorXml(500, 'InternalFailure', error instanceof Error ? error.message : String(error))),
	});
	addFailRoute(app, switches);

	app.route('POST', '/', (req) => {
		const auth = checkSigV4(req, options.credentials, 'rds');
		if (!auth.ok) return errorXml(403, auth.reason === 'missing' ? 'MissingAuthenticationToken' : auth.reason === 'unknown_key' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch', auth.message);
		const form = new URLSearchParams(req.rawBody);
		const action = form.get('Action') || '';
		if (!actions[action]) return errorXml(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
		if (form.get('Version') !== '2014-10-31') return errorXml(400, 'InvalidParameterValue', `Unsupported API version ${form.get('Version')}`);
		const result = actions[action](form);
		const body = xmlDocument(`${action}Response`, XMLNS, { [`${action}Result`]: result, ResponseMetadata: { RequestId: crypto.randomUUID() } });
		return { headers: { 'Content-Type': 'text/xml' }, body };
	});

	const close = app.close;
	return Object.assign(app, {
		failNext: switches.arm,
		/** An instance as DescribeDBInstances shows it, or null. @param {string} id */
		instance: (id) => (instances.has(id.toLowerCase()) ? view(instances.get(id.toLowerCase())) : null),
		/** Real databases behind the instances. */
		databases: () => databases.list(),
		/** Stop timers, drop every database this fake created (or stop its PGlite), stop listening. */
		async close() {
			scheduler.clear();
			await databases.closeAll();
			await close();
		},
	});
}

module.exports = { createRdsFake };
