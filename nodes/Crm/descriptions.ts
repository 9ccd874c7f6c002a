import type { INodeProperties } from 'n8n-workflow';
import type { CrmProviderName } from '../../connectors/crm';

/** displayOptions for one resource/operation pair. */
export function showFor(resource: string, operation: string) {
	return { show: { resource: [resource], operation: [operation] } };
}

function showForProvider(resource: string, operation: string, provider: CrmProviderName) {
	return { show: { provider: [provider], resource: [resource], operation: [operation] } };
}

const ID_HINTS = {
	deal: {
		salesforce: { placeholder: '006…', regex: '^006[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$', errorMessage: 'Not a Salesforce Opportunity ID (006…, 15 or 18 characters)' },
		hubspot: { placeholder: '1234567890', regex: '^[0-9]+$', errorMessage: 'Not a HubSpot deal ID (digits only)' },
	},
	account: {
		salesforce: { placeholder: '001…', regex: '^001[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$', errorMessage: 'Not a Salesforce Account ID (001…, 15 or 18 characters)' },
		hubspot: { placeholder: '1234567890', regex: '^[0-9]+$', errorMessage: 'Not a HubSpot company ID (digits only)' },
	},
	owner: {
		salesforce: { placeholder: '005…', regex: '^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$', errorMessage: 'Not a Salesforce User ID (005…, 15 or 18 characters)' },
		hubspot: { placeholder: '12345678', regex: '^[0-9]+$', errorMessage: 'Not a HubSpot owner ID (digits only)' },
	},
} as const;

const DEAL_URL_HINTS = {
	salesforce: {
		placeholder: 'https://acme.lightning.force.com/lightning/r/Opportunity/006…/view',
		extract: '/Opportunity/(006[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)',
		regex: '.*/Opportunity/006[A-Za-z0-9]{12}.*',
		errorMessage: 'Not a Salesforce Opportunity URL',
	},
	hubspot: {
		placeholder: 'https://app.hubspot.com/contacts/123/record/0-3/1234567890',
		extract: '/(?:record/0-3|deal)/([0-9]+)',
		regex: '.*/(record/0-3|deal)/[0-9]+.*',
		errorMessage: 'Not a HubSpot deal URL',
	},
} as const;

/** The deal (Opportunity / HubSpot deal) picker: one definition per provider so the ID hint fits the CRM. */
export function dealLocator(resource: string, operation: string): INodeProperties[] {
	return (['salesforce', 'hubspot'] as const).map((provider) => {
		const id = ID_HINTS.deal[provider];
		const url = DEAL_URL_HINTS[provider];
		return {
			displayName: 'Deal',
			name: 'dealId',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: provider === 'salesforce' ? 'The Salesforce Opportunity' : 'The HubSpot deal',
			modes: [
				{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchDeals', searchable: true } },
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					placeholder: id.placeholder,
					validation: [{ type: 'regex', properties: { regex: id.regex, errorMessage: id.errorMessage } }],
				},
				{
					displayName: 'By URL',
					name: 'url',
					type: 'string',
					placeholder: url.placeholder,
					extractValue: { type: 'regex', regex: url.extract },
					validation: [{ type: 'regex', properties: { regex: url.regex, errorMessage: url.errorMessage } }],
				},
			],
			displayOptions: showForProvider(resource, operation, provider),
		};
	});
}

/** The account (Salesforce Account / HubSpot company) picker. */
export function accountLocator(resource: string, operation: string): INodeProperties[] {
	return (['salesforce', 'hubspot'] as const).map((provider) => {
		const id = ID_HINTS.account[provider];
		return {
			displayName: 'Account',
			name: 'accountId',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: provider === 'salesforce' ? 'The Salesforce Account' : 'The HubSpot company',
			modes: [
				{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchAccounts', searchable: true } },
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					placeholder: id.placeholder,
					validation: [{ type: 'regex', properties: { regex: id.regex, errorMessage: id.errorMessage } }],
				},
			],
			displayOptions: showForProvider(resource, operation, provider),
		};
	});
}

/** The owner (Salesforce User / HubSpot owner) picker. */
export function ownerLocator(resource: string, operation: string, extra: Partial<INodeProperties> = {}): INodeProperties[] {
	return (['salesforce', 'hubspot'] as const).map((provider) => {
		const id = ID_HINTS.owner[provider];
		return {
			displayName: 'Owner',
			name: 'ownerId',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			description: provider === 'salesforce' ? 'The Salesforce user' : 'The HubSpot owner',
			modes: [
				{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchOwners', searchable: true } },
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					placeholder: id.placeholder,
					validation: [{ type: 'regex', properties: { regex: id.regex, errorMessage: id.errorMessage } }],
				},
			],
			displayOptions: showForProvider(resource, operation, provider),
			...extra,
		};
	});
}

export function searchField(resource: string, operation: string, what: string): INodeProperties {
	return {
		displayName: 'Search',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. Acme',
		description: `Text matched against ${what}; leave empty for the most recently changed`,
		displayOptions: showFor(resource, operation),
	};
}
