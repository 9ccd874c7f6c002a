import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { toNodeError } from '../../shared/errors';
import { docusignClient } from '../transport';

const PAGE_SIZE = 50;

export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const client = await docusignClient(this);
		const page = await client.listTemplates({ query: filter?.trim() || undefined, limit: PAGE_SIZE, cursor: paginationToken });
		return {
			results: page.items.map((template) => ({ name: template.name || template.id, value: template.id })),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}

/** Envelopes of the last 30 days (DocuSign needs a from date), newest first as DocuSign lists them. */
export async function searchEnvelopes(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const client = await docusignClient(this);
		const fromDate = new Date(Date.now() - 30 * 86_400_000).toISOString();
		const page = await client.listEnvelopes({ query: filter?.trim() || undefined, fromDate, limit: PAGE_SIZE, cursor: paginationToken });
		return {
			results: page.items.map((envelope) => ({
				name: `${envelope.envelopeId} · ${envelope.status}${envelope.statusDateTime ? ` · ${envelope.statusDateTime.slice(0, 10)}` : ''}`,
				value: envelope.envelopeId,
			})),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}
