// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { checkSigV4 } = require('./awsAuth');
const { xmlDocument, parseXml, childNode, childNodes, childText } = require('./xml');
const { createScheduler, createFailSwitches, addFailRoute } = require('./timing');

/**
 * Amazon Route 53 fake, REST-XML (`/2013-04-01/…`, SigV4 verified in full): hosted zones (create with
 * CallerReference, get, list, list by name, delete when empty), ChangeResourceRecordSets (CREATE / UPSERT /
 * DELETE, validated as one atomic batch; InvalidChangeBatch with Route 53's messages), ListResourceRecordSets
 * and GetChange: a change is PENDING for `delays.sync` ms, then INSYNC. Fail switch `stuck-change`: the next
 * change batch stays PENDING for good.
 */

const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const xml = (/** @type {string} */ root, /** @type {Record<string, unknown>} */ content, status = 200, /** @type {Record<string, string>} */ headers = {}) => ({ status, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': crypto.randomUUID(), ...headers }, body: xmlDocument(root, XMLNS, content) });
/** @param {number} status @param {string} code @param {string} message */
const errorXml = (status, code, message) => xml('ErrorResponse', { Error: { Type: status >= 500 ? 'Receiver' : 'Sender', Code: code, Message: message }, RequestId: crypto.randomUUID() }, status);
const r53Id = (/** @type {string} */ prefix) => `${prefix}${crypto.randomBytes(10).toString('hex').toUpperCase().slice(0, 19)}`;
/** A DNS name as Route 53 stores it: lower case, trailing dot, `*` escaped. @param {string} name */
const canonicalName = (name) => `${name.trim().toLowerCase().replace(/\.$/, '').replace(/\*/g, '\\052')}.`;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * @param {{ credentials: import('./awsAuth').AwsCredentials, timeScale?: number, delays?: Partial<{ sync: number }> }} options
 */
function createRoute53Fake(options) {
	const delays = { sync: 1000, ...options.delays };
	const scheduler = createScheduler({ timeScale: options.timeScale });
	const switches = createFailSwitches(['stuck-change']);
	/** @type {Map<string, { id: string, name: string, callerReference: string, comment?: string, records: any[] }>} */
	const zones = new Map();
	/** @type {Map<string, { id: string, status: 'PENDING' | 'INSYNC', submittedAt: string, comment?: string }>} */
	const changes = new Map();

	/** @param {string} comment */
	function newChange(comment, stuck = false) {
		const change = { id: r53Id('C'), status: /** @type {'PENDING' | 'INSYNC'} */ ('PENDING'), submittedAt: new Date().toISOString(), comment: comment || undefined };
		changes.set(change.id, change);
		if (!stuck) scheduler.after(delays.sync, () => (change.status = 'INSYNC'));
		return change;
	}
	const changeInfo = (/** @type {any} */ c) => ({ Id: `/change/${c.id}`, Status: c.status, SubmittedAt: c.submittedAt, Comment: c.comment });
	const nameServers = (/** @type {string} */ id) => ['ns-101.awsdns-12.com', 'ns-602.awsdns-11.net', 'ns-1201.awsdns-22.org', 'ns-1801.awsdns-33.co.uk'].map((ns) => ({ NameServer: ns.replace(/\d+/, String(parseInt(id.slice(1, 5), 36) % 2000)) }));
	const zoneXml = (/** @type {any} */ z) => ({ Id: `/hostedzone/${z.id}`, Name: z.name, CallerReference: z.callerReference, Config: { Comment: z.comment, PrivateZone: false }, ResourceRecordSetCount: z.records.length });
	const recordXml = (/** @type {any} */ r) => ({ Name: r.name, Type: r.type, TTL: r.ttl, ResourceRecords: r.values.map((/** @type {string} */ v) => ({ ResourceRecord: { Value: v } })) });

	/** Add a hosted zone (admin helper; also what CreateHostedZone does). @param {string} name @param {{ callerReference?: string, comment?: string }} [spec] */
	function addZone(name, spec = {}) {
		const zone = { id: r53Id('Z'), name: canonicalName(name), callerReference: spec.callerReference ?? crypto.randomUUID(), comment: spec.comment, records: /** @type {any[]} */ ([]) };
		zone.records.push({ name: zone.name, type: 'NS', ttl: 172800, values: nameServers(zone.id).map((n) => `${n.NameServer}.`) });
		zone.records.push({ name: zone.name, type: 'SOA', ttl: 900, values: [`${nameServers(zone.id)[0].NameServer}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] });
		zones.set(zone.id, zone);
		return zone;
	}

	/** @param {string} id */
	function zoneOf(id) {
		const zone = zones.get(id.replace(/^\/?hostedzone\//, ''));
		if (!zone) throw Object.assign(new Error(`No hosted zone found with ID: ${id}`), { response: errorXml(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${id}`) });
		return zone;
	}

	/**
	 * Apply a change batch to a copy of the zone's records; Route 53's messages for every invalid change.
	 * @param {any} zone @param {import('./xml').XmlNode[]} changeNodes
	 */
	function applyBatch(zone, changeNodes) {
		let records = zone.records.map((/** @type {any} */ r) => ({ ...r }));
		/** @type {string[]} */
		const problems = [];
		for (const node of changeNodes) {
			const action = childText(node, 'Action');
			const set = childNode(node, 'ResourceRecordSet');
			const name = canonicalName(childText(set, 'Name') || '');
			const type = (childText(set, 'Type') || '').toUpperCase();
			const ttl = Number(childText(set, 'TTL'));
			const values = childNodes(childNode(set, 'ResourceRecords'), 'ResourceRecord').map((r) => childText(r, 'Value') || '');
			const label = `[name='${name}', type='${type}']`;
			if (!['CREATE', 'UPSERT', 'DELETE'].includes(action || '')) problems.push(`Invalid action ${action}`);
			else if (name !== zone.name && !name.endsWith(`.${zone.name}`)) problems.push(`RRSet with DNS name ${name} is not permitted in zone ${zone.name}`);
			else if (!values.length || !Number.isInteger(ttl)) problems.push(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=${action}, Name=${name}, Type=${type}, SetIdentifier=null]`);
			else if (type === 'A' && values.some((v) => !IPV4.test(v))) problems.push(`Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${values.find((v) => !IPV4.test(v))}''`);
			else {
				const existing = records.find((/** @type {any} */ r) => r.name === name && r.type === type);
				const conflict = records.some((/** @type {any} */ r) => r.name === name && r.type !== type && (r.type === 'CNAME' || type === 'CNAME'));
				if (action === 'DELETE') {
					if (!existing || existing.ttl !== ttl || existing.values.join('\n') !== values.join('\n')) problems.push(`Tried to delete resource record set ${label} but ${existing ? 'the values provided do not match the current values' : 'it was not found'}`);
					else records = records.filter((/** @type {any} */ r) => r !== existing);
				} else if (action === 'CREATE' && existing) problems.push(`Tried to create resource record set ${label} but it already exists`);
				else if (conflict) problems.push(`RRSet of type ${type} with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`);
				else records = [...records.filter((/** @type {any} */ r) => r !== existing), { name, type, ttl, values }];
			}
		}
		return { records, problems };
	}

	const app = createSandboxServer({
		name: 'route53',
		state: () => ({ zones: [...zones.values()], changes: [...changes.values()], failNext: switches.list() }),
		reset: () => {
			changes.clear();
			switches.clear();
		},
		faultBody: (status) => errorXml(status, status === 400 || status === 429 ? 'Throttling' : status === 503 ? 'ServiceUnavailable' : 'InternalFailure', status === 400 || status === 429 ? 'Rate exceeded' : `Injected fault ${status}`).body,
		notFound: (req) => errorXml(404, 'UnknownOperationException', `No operation at ${req.method} ${req.path}`),
		onError: (error) => /** @type {any} */ (error).response ?? errorXml(500, 'InternalFailure', error instanceof Error ? error.message : String(error)),
	});
	addFailRoute(app, switches);
	app.before((req) => {
		const auth = checkSigV4(req, options.credentials, 'route53');
		if (!auth.ok) return errorXml(403, auth.reason === 'missing' ? 'MissingAuthenticationToken' : auth.reason === 'unknown_key' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch', auth.message);
		if (req.method === 'POST') {
			try {
				req.locals.doc = parseXml(req.rawBody);
			} catch (error) {
				return errorXml(400, 'InvalidInput', `Could not parse the request body: ${/** @type {Error} */ (error).message}`);
			}
		}
		return undefined;
	});

	const P = '/2013-04-01';
	app.route('POST', `${P}/hostedzone`, (req) => {
		const doc = /** @type {import('./xml').XmlNode} */ (req.locals.doc);
		const name = childText(doc, 'Name');
		const callerReference = childText(doc, 'CallerReference');
		if (!name || !callerReference) return errorXml(400, 'InvalidInput', 'Name and CallerReference are required.');
		if ([...zones.values()].some((z) => z.callerReference === callerReference)) return errorXml(409, 'HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`);
		const zone = addZone(name, { callerReference, comment: childText(childNode(doc, 'HostedZoneConfig'), 'Comment') });
		return xml('CreateHostedZoneResponse', { HostedZone: zoneXml(zone), ChangeInfo: changeInfo(newChange('')), DelegationSet: { NameServers: nameServers(zone.id) } }, 201, { Location: `https://route53.amazonaws.com${P}/hostedzone/${zone.id}` });
	});
	app.route('GET', `${P}/hostedzone`, () => xml('ListHostedZonesResponse', { HostedZones: [...zones.values()].map((z) => ({ HostedZone: zoneXml(z) })), IsTruncated: false, MaxItems: 100 }));
	app.route('GET', `${P}/hostedzonesbyname`, (req) => {
		const dnsName = typeof req.query.dnsname === 'string' ? canonicalName(req.query.dnsname) : '';
		const sorted = [...zones.values()].sort((a, b) => a.name.split('.').reverse().join('.').localeCompare(b.name.split('.').reverse().join('.')));
		const fromName = dnsName ? sorted.filter((z) => z.name.split('.').reverse().join('.') >= dnsName.split('.').reverse().join('.')) : sorted;
		return xml('ListHostedZonesByNameResponse', { HostedZones: fromName.map((z) => ({ HostedZone: zoneXml(z) })), DNSName: dnsName || undefined, IsTruncated: false, MaxItems: Number(req.query.maxitems) || 100 });
	});
	app.route('GET', `${P}/hostedzone/{id}`, (req) => {
		const zone = zoneOf(req.params.id);
		return xml('GetHostedZoneResponse', { HostedZone: zoneXml(zone), DelegationSet: { NameServers: nameServers(zone.id) } });
	});
	app.route('DELETE', `${P}/hostedzone/{id}`, (req) => {
		const zone = zoneOf(req.params.id);
		if (zone.records.some((r) => r.name !== zone.name || !['NS', 'SOA'].includes(r.type))) return errorXml(400, 'HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.');
		zones.delete(zone.id);
		return xml('DeleteHostedZoneResponse', { ChangeInfo: changeInfo(newChange('')) });
	});
	app.route('POST', `${P}/hostedzone/{id}/rrset`, (req) => {
		const zone = zoneOf(req.params.id);
		const batch = childNode(/** @type {import('./xml').XmlNode} */ (req.locals.doc), 'ChangeBatch');
		const changeNodes = childNodes(childNode(batch, 'Changes'), 'Change');
		if (!changeNodes.length) return errorXml(400, 'InvalidInput', 'ChangeBatch.Changes must contain at least one Change.');
		const { records, problems } = applyBatch(zone, changeNodes);
		if (problems.length) return errorXml(400, 'InvalidChangeBatch', `[${problems.join(', ')}]`);
		zone.records = records;
		return xml('ChangeResourceRecordSetsResponse', { ChangeInfo: changeInfo(newChange(childText(batch, 'Comment') || '', Boolean(switches.take('stuck-change')))) });
	});
	app.route('GET', `${P}/hostedzone/{id}/rrset`, (req) => {
		const zone = zoneOf(req.params.id);
		const start = typeof req.query.name === 'string' ? canonicalName(req.query.name) : null;
		const type = typeof req.query.type === 'string' ? req.query.type : null;
		const max = Math.min(Number(req.query.maxitems) || 300, 300);
		const sorted = [...zone.records].sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
		const from = start ? sorted.findIndex((r) => r.name > start || (r.name === start && (!type || r.type >= type))) : 0;
		const list = from < 0 ? [] : sorted.slice(from);
		const page = list.slice(0, max);
		const next = list[max];
		return xml('ListResourceRecordSetsResponse', { ResourceRecordSets: page.map((r) => ({ ResourceRecordSet: recordXml(r) })), IsTruncated: Boolean(next), NextRecordName: next?.name, NextRecordType: next?.type, MaxItems: max });
	});
	app.route('GET', `${P}/change/{id}`, (req) => {
		const change = changes.get(req.params.id.replace(/^\/?change\//, ''));
		return change ? xml('GetChangeResponse', { ChangeInfo: changeInfo(change) }) : errorXml(404, 'NoSuchChange', `A change with the specified change ID does not exist: ${req.params.id}`);
	});

	const close = app.close;
	return Object.assign(app, {
		addZone: (/** @type {string} */ name) => zoneXml(addZone(name)),
		/** A zone's record sets (admin view). @param {string} name */
		records: (name) => [...zones.values()].find((z) => z.name === canonicalName(name))?.records ?? [],
		failNext: switches.arm,
		close() {
			scheduler.clear();
			return close();
		},
	});
}

module.exports = { createRoute53Fake };
