import type { ConnectCustomConfiguration } from 'docusign-esign';
import { ConnectorError, isConnectorError, parseInput, withRetry } from '../core';
import { VENDOR } from './config';
import { str } from './mappers';
import { connectConfigSchema, connectIdSchema, connectQuerySchema } from './schemas';
import type { DocusignSession } from './session';
import type { ConnectConfigSummary, ConnectEventName } from './types';

/** What a trigger registers: JSON SIM deliveries, HMAC-signed, with custom fields and recipients. */
export function connectConfiguration(input: { name: string; url: string; events: ConnectEventName[] }): ConnectCustomConfiguration {
	// deliveryMode/events post-date @types/docusign-esign; the SDK 10 model carries both.
	const configuration = {
		configurationType: 'custom',
		name: input.name,
		urlToPublishTo: input.url,
		allUsers: 'true',
		allowEnvelopePublish: 'true',
		includeHMAC: 'true',
		deliveryMode: 'SIM',
		requiresAcknowledgement: 'true',
		eventData: { version: 'restv2.1', format: 'json', includeData: ['custom_fields', 'recipients'] },
		events: [...input.events],
	};
	return configuration as ConnectCustomConfiguration;
}

/**
 * Registers a Connect (webhook) configuration. A failed POST is repeated only after a search by URL
 * shows it did not register one, so a lost response cannot leave two configurations.
 */
export async function createConnectConfig(session: DocusignSession, input: { name: string; url: string; events: ConnectEventName[] }): Promise<{ connectId: string }> {
	const data = parseInput(connectConfigSchema, input, 'connect', VENDOR);
	const body = connectConfiguration(data);
	return withRetry(
		async (attempt) => {
			if (attempt > 0) {
				const existing = await findConnectConfig(session, { url: data.url });
				if (existing) return { connectId: existing.connectId };
			}
			const created = await session.call(
				'POST connect configuration',
				({ connect, accountId }) => connect.createConfiguration(accountId, { connectCustomConfiguration: body }),
				{ idempotent: false },
			);
			const connectId = str(created?.connectId);
			if (!connectId) throw new ConnectorError('permanent', 'DocuSign registered a Connect configuration but returned no connectId', { vendor: VENDOR });
			return { connectId };
		},
		{ idempotent: true, policy: session.retryPolicy, sleep: session.sleep },
	);
}

export async function findConnectConfig(session: DocusignSession, query: { connectId?: string; url?: string }): Promise<ConnectConfigSummary | undefined> {
	const data = parseInput(connectQuerySchema, query, 'query', VENDOR);
	const result = await session.call('GET connect configurations', ({ connect, accountId }) => connect.listConfigurations(accountId), { idempotent: true });
	const configurations = (Array.isArray(result?.configurations) ? result.configurations : []) as Record<string, unknown>[];
	const match = configurations.find(
		(config) =>
			(data.connectId === undefined || str(config.connectId) === data.connectId) &&
			(data.url === undefined || sameUrl(str(config.urlToPublishTo), data.url)),
	);
	if (!match) return undefined;
	return {
		connectId: str(match.connectId) ?? '',
		url: str(match.urlToPublishTo) ?? '',
		events: Array.isArray(match.events) ? match.events.map(String) : Array.isArray(match.envelopeEvents) ? match.envelopeEvents.map(String) : [],
	};
}

/** Safe to repeat (a trigger's deactivation): a configuration already gone is deleted:false. */
export async function deleteConnectConfig(session: DocusignSession, connectId: string): Promise<{ deleted: boolean }> {
	const id = parseInput(connectIdSchema, connectId, 'connectId', VENDOR);
	try {
		await session.call(`DELETE connect configuration ${id}`, ({ connect, accountId }) => connect.deleteConfiguration(accountId, id), { idempotent: true });
		return { deleted: true };
	} catch (error) {
		if (!isConnectorError(error)) throw error;
		if (error.kind === 'not_found') return { deleted: false };
		// DocuSign answers an unknown id with a 400 of varying codes: look before calling it an error.
		if (error.kind === 'validation' && !(await findConnectConfig(session, { connectId: id }))) return { deleted: false };
		throw error;
	}
}

function sameUrl(a: string | undefined, b: string): boolean {
	return a !== undefined && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
