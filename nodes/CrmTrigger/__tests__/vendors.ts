/**
 * Vendor requests as the CRM Trigger receives them, made with the connectors' own builders.
 * Test-only values (not secrets).
 */
import { buildOutboundMessage } from '../../../connectors/crm/salesforce';
import { signHubspotV3 } from '../../../connectors/crm/hubspot';

export const OM_CURRENT = 'om-token-current-123';
export const OM_PREVIOUS = 'om-token-previous-456';
export const SF_ORG = '00D5g000000AbCdEAF';
export const HS_SECRET = 'hs-app-secret-current';
export const HS_OLD_SECRET = 'hs-app-secret-previous';
export const WEBHOOK_URL = 'https://n8n.example.com/webhook/abc/webhook';

export const salesforceBody = buildOutboundMessage;

/** A signed HubSpot request as the trigger sees it; `signedUri` is the URL HubSpot believes it called. */
export function hubspotRequest(body: unknown, options: { secret?: string; timestamp?: number; originalUrl?: string; signedUri?: string } = {}) {
	const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
	const timestamp = String(options.timestamp ?? Date.now());
	const path = options.originalUrl ?? '/webhook/abc/webhook';
	const query = path.includes('?') ? path.slice(path.indexOf('?')) : '';
	const uri = options.signedUri ?? `${WEBHOOK_URL}${query}`;
	const signature = signHubspotV3({ method: 'POST', uri, rawBody, timestamp, secret: options.secret ?? HS_SECRET });
	return { rawBody, headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp } };
}
