import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { redact } from '../../connectors/core';
import { CONNECT_EVENT_NAMES, type ConnectEventName, type DocusignClient } from '../../connectors/docusign';
import { docusignClient } from '../Docusign/transport';
import { toNodeError } from '../shared/errors';

/** What the trigger remembers between activation and deactivation (workflow static data). */
interface HookState extends IDataObject {
	webhookUrl?: string;
	connectId?: string;
	registeredAt?: string;
}

const stateOf = (context: IHookFunctions) => context.getWorkflowStaticData('node') as HookState;

function forget(state: HookState): void {
	delete state.webhookUrl;
	delete state.connectId;
	delete state.registeredAt;
}

export function registersConnect(context: IHookFunctions): boolean {
	return context.getNodeParameter('registerConnect', true) !== false;
}

/** The selected events; none selected means all of them. */
export function selectedEvents(context: IHookFunctions): ConnectEventName[] {
	const events = context.getNodeParameter('events', []) as ConnectEventName[];
	return events.length > 0 ? events : [...CONNECT_EVENT_NAMES];
}

const sameUrl = (a: string | undefined, b: string | undefined) => (a ?? '').replace(/\/+$/, '') === (b ?? '').replace(/\/+$/, '');
const sameEvents = (a: readonly string[], b: readonly string[]) => [...new Set(a)].sort().join(',') === [...new Set(b)].sort().join(',');

/**
 * True when DocuSign already publishes the selected events to this URL. A configuration of ours with other
 * events or an old URL is removed so `create` registers a fresh one. Without registration: only the
 * recorded URL is compared.
 */
export async function checkExists(context: IHookFunctions): Promise<boolean> {
	const state = stateOf(context);
	const url = context.getNodeWebhookUrl('default');
	if (!registersConnect(context)) return state.webhookUrl === url && state.connectId === undefined;
	try {
		const client = await docusignClient(context);
		const found = await client.findConnectConfig(state.connectId ? { connectId: state.connectId } : { url });
		if (!found) {
			forget(state);
			return false;
		}
		if (sameUrl(found.url, url) && sameEvents(found.events, selectedEvents(context))) {
			Object.assign(state, { webhookUrl: url, connectId: found.connectId });
			return true;
		}
		await client.deleteConnectConfig(found.connectId);
		forget(state);
		return false;
	} catch (error) {
		throw toNodeError(context.getNode(), error, 0);
	}
}

/** Registers a Connect configuration (HMAC on, JSON SIM, acknowledged) or, without registration, records the URL. */
export async function create(context: IHookFunctions): Promise<boolean> {
	const state = stateOf(context);
	const url = context.getNodeWebhookUrl('default');
	if (registersConnect(context)) {
		try {
			const client: DocusignClient = await docusignClient(context);
			const { connectId } = await client.createConnectConfig({ name: `n8n q2c ${context.getWorkflow().id}`, url: String(url), events: selectedEvents(context) });
			state.connectId = connectId;
		} catch (error) {
			throw toNodeError(context.getNode(), error, 0);
		}
	}
	state.webhookUrl = url;
	state.registeredAt = new Date().toISOString();
	return true;
}

/** Removes the Connect configuration this trigger registered (already gone counts as removed). */
export async function remove(context: IHookFunctions): Promise<boolean> {
	const state = stateOf(context);
	if (state.connectId) {
		try {
			const client = await docusignClient(context);
			await client.deleteConnectConfig(state.connectId);
		} catch (error) {
			context.logger?.error('DocuSign Trigger could not delete its Connect configuration', { connectId: state.connectId, error: redact(String(error)) });
			return false;
		}
	}
	forget(state);
	return true;
}
