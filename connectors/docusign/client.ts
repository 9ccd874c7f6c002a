import type { RateLimit, RetryPolicy } from '../core';
import { resolveDocusignConfig, type DocusignConfig } from './config';
import { createConnectConfig, deleteConnectConfig, findConnectConfig } from './connectConfig';
import { downloadCombinedPdf, type DownloadedPdf } from './documentDownload';
import { createEnvelopeFromTemplate } from './envelopeCreate';
import { getEnvelope, listRecipients } from './envelopeGet';
import { listEnvelopes, type EnvelopeSearch } from './envelopesList';
import { voidEnvelope, type VoidResult } from './envelopeVoid';
import { getFormData } from './formDataGet';
import { DocusignSession } from './session';
import { listTemplates, type TemplateSearch } from './templatesList';
import type { ConnectConfigSummary, ConnectEventName, CreateEnvelopeInput, DocusignIdentity, Envelope, EnvelopeSummary, Page, Recipient } from './types';

export interface DocusignClientDeps {
	/** Fake sleep in tests so backoff does not wait. */
	sleep?: (ms: number) => Promise<void>;
	/** Clock for token expiry and JWT timestamps. */
	now?: () => number;
	retry?: Partial<RetryPolicy>;
	/** Override DocuSign's per-account limit (tests, or an account with a raised limit). */
	rateLimit?: RateLimit;
}

/**
 * DocuSign eSignature for the quote-to-cash flow: JWT-grant auth, envelopes from templates (once per
 * business key), status, signed values, the signed PDF, voiding, and Connect webhook registration.
 * Every failure leaves as a ConnectorError; secrets never appear in one.
 */
export class DocusignClient {
	private readonly session: DocusignSession;

	constructor(config: DocusignConfig, deps: DocusignClientDeps = {}) {
		this.session = new DocusignSession(resolveDocusignConfig(config), { ...deps, now: deps.now ?? Date.now });
	}

	/** JWT grant; cached until ~60 s before expiry, shared per integration key + user + auth server. */
	getAccessToken(): Promise<string> {
		return this.session.auth.getAccessToken();
	}

	/** The impersonated user and the account calls go to; the credential test. */
	whoAmI(): Promise<DocusignIdentity> {
		return this.session.whoAmI();
	}

	createEnvelopeFromTemplate(input: CreateEnvelopeInput): Promise<EnvelopeSummary & { created: boolean }> {
		return createEnvelopeFromTemplate(this.session, input);
	}

	getEnvelope(envelopeId: string): Promise<Envelope> {
		return getEnvelope(this.session, envelopeId);
	}

	listRecipients(envelopeId: string): Promise<Recipient[]> {
		return listRecipients(this.session, envelopeId);
	}

	/** Tab label → value as signed. */
	getFormData(envelopeId: string): Promise<Record<string, string>> {
		return getFormData(this.session, envelopeId);
	}

	downloadCombinedPdf(envelopeId: string): Promise<DownloadedPdf> {
		return downloadCombinedPdf(this.session, envelopeId);
	}

	voidEnvelope(envelopeId: string, reason: string): Promise<VoidResult> {
		return voidEnvelope(this.session, envelopeId, reason);
	}

	listTemplates(search: TemplateSearch = {}): Promise<Page<{ id: string; name: string }>> {
		return listTemplates(this.session, search);
	}

	listEnvelopes(search: EnvelopeSearch = {}): Promise<Page<EnvelopeSummary>> {
		return listEnvelopes(this.session, search);
	}

	createConnectConfig(input: { name: string; url: string; events: ConnectEventName[] }): Promise<{ connectId: string }> {
		return createConnectConfig(this.session, input);
	}

	findConnectConfig(query: { connectId?: string; url?: string }): Promise<ConnectConfigSummary | undefined> {
		return findConnectConfig(this.session, query);
	}

	/** Already gone → deleted:false, no error. */
	deleteConnectConfig(connectId: string): Promise<{ deleted: boolean }> {
		return deleteConnectConfig(this.session, connectId);
	}
}

export function createDocusignClient(config: DocusignConfig, deps: DocusignClientDeps = {}): DocusignClient {
	return new DocusignClient(config, deps);
}
