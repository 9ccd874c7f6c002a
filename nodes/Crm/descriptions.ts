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
	lead: {
		salesforce: { placeholder: '00Q…', regex: '^00Q[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$', errorMessage: 'Not a Salesforce Lead ID (00Q…, 15 or 18 characters)' },
		hubspot: { placeholder: '1234567890', regex: '^[0-9]+$', errorMessage: 'Not a HubSpot contact ID (digits only)' },
	},
	owner: {
		salesforce: { placeholder: '005…', regex: '^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$', errorMessage: 'Not a Salesforce User ID (005…, 15 or 18 characters)' },
		hubspot: { placeholder: '12345678', regex: '^[0-9]+$', errorMessage: 'Not a HubSpot owner ID (digits only)' },
	},
} as const;

/** Records that can also be pasted as a URL from the CRM's UI. */
const URL_HINTS = {
	deal: {
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
	},
	lead: {
		salesforce: {
			placeholder: 'https://acme.lightning.force.com/lightning/r/Lead/00Q…/view',
			extract: '/Lead/(00Q[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)',
			regex: '.*/Lead/00Q[A-Za-z0-9]{12}.*',
			errorMessage: 'Not a Salesforce Lead URL',
		},
		hubspot: {
			placeholder: 'https://app.hubspot.com/contacts/123/record/0-1/1234567890',
			extract: '/(?:record/0-1|contact)/([0-9]+)',
			regex: '.*/(record/0-1|contact)/[0-9]+.*',
			errorMessage: 'Not a HubSpot contact URL',
		},
	},
} as const;

type RecordKind = keyof typeof ID_HINTS;

/** `searchListMethod` undefined: no list to pick from (leads are found by email or ID, not browsed). */
const PICKERS: Record<RecordKind, { displayName: string; name: string; searchListMethod?: string; describe: Record<CrmProviderName, string> }> = {
	deal: { displayName: 'Deal', name: 'dealId', searchListMethod: 'searchDeals', describe: { salesforce: 'The Salesforce Opportunity', hubspot: 'The HubSpot deal' } },
	lead: { displayName: 'Lead', name: 'leadId', describe: { salesforce: 'The Salesforce Lead', hubspot: 'The HubSpot contact' } },
	account: { displayName: 'Account', name: 'accountId', searchListMethod: 'searchAccounts', describe: { salesforce: 'The Salesforce Account', hubspot: 'The HubSpot company' } },
	owner: { displayName: 'Owner', name: 'ownerId', searchListMethod: 'searchOwners', describe: { salesforce: 'The Salesforce user', hubspot: 'The HubSpot owner' } },
};

/** A record picker (list + ID, and URL for deals and leads), one definition per provider so the ID hint fits the CRM. */
function recordLocator(kind: RecordKind, resource: string, operation: string, extra: Partial<INodeProperties> = {}): INodeProperties[] {
	const picker = PICKERS[kind];
	return (['salesforce', 'hubspot'] as const).map((provider) => {
		const id = ID_HINTS[kind][provider];
		const url = kind === 'deal' || kind === 'lead' ? URL_HINTS[kind][provider] : undefined;
		const list = picker.searchListMethod;
		return {
			displayName: picker.displayName,
			name: picker.name,
			type: 'resourceLocator',
			default: { mode: list ? 'list' : 'id', value: '' },
			...(kind === 'owner' ? {} : { required: true }),
			description: picker.describe[provider],
			modes: [
				...(list ? [{ displayName: 'From List', name: 'list', type: 'list' as const, typeOptions: { searchListMethod: list, searchable: true } }] : []),
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					placeholder: id.placeholder,
					validation: [{ type: 'regex', properties: { regex: id.regex, errorMessage: id.errorMessage } }],
				},
				// Deals and leads can also be pasted as a record URL from the CRM's UI.
				...(url
					? [
							{
								displayName: 'By URL',
								name: 'url',
								type: 'string' as const,
								placeholder: url.placeholder,
								extractValue: { type: 'regex' as const, regex: url.extract },
								validation: [{ type: 'regex' as const, properties: { regex: url.regex, errorMessage: url.errorMessage } }],
							},
						]
					: []),
			],
			displayOptions: showForProvider(resource, operation, provider),
			...extra,
		} as INodeProperties;
	});
}

/** The deal (Salesforce Opportunity / HubSpot deal) picker. */
export const dealLocator = (resource: string, operation: string) => recordLocator('deal', resource, operation);

/** The lead (Salesforce Lead / HubSpot contact) picker: ID or record URL. */
export const leadLocator = (resource: string, operation: string) => recordLocator('lead', resource, operation);

/** The account (Salesforce Account / HubSpot company) picker. */
export const accountLocator = (resource: string, operation: string) => recordLocator('account', resource, operation);

/** The owner (Salesforce User / HubSpot owner) picker; optional wherever it is used. */
export const ownerLocator = (resource: string, operation: string, extra: Partial<INodeProperties> = {}) => recordLocator('owner', resource, operation, extra);

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
