/** Shapes the DocuSign connector returns; plain data, independent of the SDK's model classes. */

/** Hidden text custom field carrying the contract/deal id on every envelope we create. */
export const BUSINESS_KEY_FIELD = 'q2cBusinessKey';

export interface EnvelopeSummary {
	envelopeId: string;
	status: string;
	statusDateTime?: string;
	uri?: string;
}

export interface Envelope extends EnvelopeSummary {
	emailSubject?: string;
	sentDateTime?: string;
	completedDateTime?: string;
	declinedDateTime?: string;
	voidedDateTime?: string;
	voidedReason?: string;
	customFields: Record<string, string>;
	businessKey?: string;
}

export interface Recipient {
	recipientId: string;
	type: string;
	name?: string;
	email?: string;
	roleName?: string;
	status: string;
	signedDateTime?: string;
	deliveredDateTime?: string;
	declinedDateTime?: string;
	declinedReason?: string;
}

export const CONNECT_EVENT_NAMES = [
	'envelope-sent',
	'envelope-delivered',
	'envelope-completed',
	'envelope-declined',
	'envelope-voided',
	'recipient-completed',
] as const;
export type ConnectEventName = (typeof CONNECT_EVENT_NAMES)[number];

export interface CreateEnvelopeInput {
	/** Contract/deal id; stored as the hidden text custom field BUSINESS_KEY_FIELD. */
	businessKey: string;
	templateId: string;
	emailSubject?: string;
	/** tabs: tabLabel → prefilled text value. */
	roles: { roleName: string; name: string; email: string; tabs?: Record<string, string> }[];
	/** Extra hidden text custom fields. */
	customFields?: Record<string, string>;
	/** Default 'sent'; 'created' leaves a draft. */
	status?: 'sent' | 'created';
}

export interface Page<T> {
	items: T[];
	nextCursor?: string;
}

export interface ConnectConfigSummary {
	connectId: string;
	url: string;
	events: string[];
}

export interface DocusignIdentity {
	userId: string;
	name?: string;
	email?: string;
	accountId: string;
	baseUri: string;
}
