import type { CrmProvider } from './types';
import { createHubspotCrm, type HubspotConfig } from './hubspot';
import { createSalesforceCrm, type SalesforceConfig } from './salesforce';

export * from './types';
export { DEFAULT_HUBSPOT_INITIAL_STATUSES, DEFAULT_SALESFORCE_INITIAL_STATUSES, leadTouched } from './leads';
// Named, not `export *`: both vendor modules have helpers of the same name (toDeal, …); their
// internals stay reachable through './salesforce' and './hubspot'.
export {
	SalesforceCrm,
	createSalesforceCrm,
	soqlString,
	soqlDateTime,
	parseOutboundMessage,
	outboundMessageAck,
	outboundMessageFault,
	verifyOutboundMessage,
	buildOutboundMessage,
	type SalesforceConfig,
	type OutboundMessage,
	type OutboundNotification,
} from './salesforce';
export {
	HubspotCrm,
	createHubspotCrm,
	wonStageIds,
	verifyHubspotSignatureV3,
	parseHubspotEvents,
	signHubspotV3,
	type HubspotConfig,
	type HubspotWebhookEvent,
} from './hubspot';

export type CrmProviderInput =
	| { provider: 'salesforce'; salesforce: SalesforceConfig }
	| { provider: 'hubspot'; hubspot: HubspotConfig };

/** The CRM a template or node asks for; switching CRM is switching this input, nothing else. */
export function createCrmProvider(input: CrmProviderInput): CrmProvider {
	switch (input.provider) {
		case 'salesforce':
			return createSalesforceCrm(input.salesforce);
		case 'hubspot':
			return createHubspotCrm(input.hubspot);
		default:
			throw new Error(`Unknown CRM provider "${String((input as { provider?: unknown }).provider)}"`);
	}
}
