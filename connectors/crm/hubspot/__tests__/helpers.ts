/** Shared fixtures for the HubSpot connector tests: a provider on a nock'd loopback base path, records, pipelines. */
import nock from 'nock';
import type { HubspotConfig } from '../config';
import { clearPipelineCache } from '../pipelines';
import { HubspotCrm } from '../provider';

export const BASE = 'http://127.0.0.1:18443';
export const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
export const PORTAL = '4242';

export interface Made {
	crm: HubspotCrm;
	sleeps: number[];
	clock: { now: number };
}

export function makeCrm(overrides: Partial<HubspotConfig> = {}): Made {
	const sleeps: number[] = [];
	const clock = { now: Date.parse('2026-11-20T10:00:00.000Z') };
	const crm = new HubspotCrm(
		{ auth: 'privateApp', accessToken: TOKEN, basePath: BASE, portalId: PORTAL, ...overrides },
		{
			sleep: async (ms) => {
				sleeps.push(ms);
			},
			now: () => clock.now,
			retry: { retries: 2, baseDelayMs: 100, jitter: 0 },
			rateLimit: { perSecond: 10_000, burst: 10_000 },
		},
	);
	return { crm, sleeps, clock };
}

export function api(): nock.Scope {
	return nock(BASE);
}

export function resetHubspot(): void {
	nock.cleanAll();
	clearPipelineCache();
}

/** The default sales pipeline (named stage ids) and a custom one (numeric ids), with a trap stage. */
export const PIPELINES = {
	results: [
		{
			id: 'default',
			label: 'Sales Pipeline',
			displayOrder: 0,
			archived: false,
			createdAt: '2020-01-01T00:00:00Z',
			updatedAt: '2020-01-01T00:00:00Z',
			stages: [
				stage('appointmentscheduled', 'Appointment Scheduled', 'false', '0.2'),
				stage('closedwon', 'Closed Won', 'true', '1.0'),
				stage('closedlost', 'Closed Lost', 'true', '0.0'),
			],
		},
		{
			id: '7777',
			label: 'Renewals',
			displayOrder: 1,
			archived: false,
			createdAt: '2020-01-01T00:00:00Z',
			updatedAt: '2020-01-01T00:00:00Z',
			stages: [
				stage('1001', 'Negotiation', 'false', '0.6'),
				stage('1002', 'Renewed', 'true', '1'),
				stage('1003', 'Churned', 'true', '0'),
				// Certain but not closed: not won.
				stage('1004', 'Verbal yes', 'false', '1.0'),
			],
		},
	],
};

function stage(id: string, label: string, isClosed: string, probability: string) {
	return { id, label, displayOrder: 0, archived: false, writeOptions: undefined, createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z', metadata: { isClosed, probability } };
}

export function deal(id: string, properties: Record<string, string | null> = {}) {
	return {
		id,
		properties: {
			dealname: `Deal ${id}`,
			amount: '12000.5',
			deal_currency_code: 'EUR',
			dealstage: 'closedwon',
			pipeline: 'default',
			closedate: '2026-11-19T00:00:00.000Z',
			hubspot_owner_id: '77',
			hs_lastmodifieddate: '2026-11-20T09:00:00.000Z',
			hs_is_closed_won: 'true',
			hs_object_id: id,
			...properties,
		},
		createdAt: '2026-11-01T00:00:00.000Z',
		updatedAt: '2026-11-20T09:00:00.000Z',
		archived: false,
	};
}

export function company(id: string, properties: Record<string, string | null> = {}) {
	return {
		id,
		properties: { name: `Company ${id}`, domain: 'acme.com', website: 'https://www.acme.com', hubspot_owner_id: '77', ...properties },
		createdAt: '2026-11-01T00:00:00.000Z',
		updatedAt: '2026-11-20T09:00:00.000Z',
		archived: false,
	};
}

export function hsError(category: string, message: string, extra: Record<string, unknown> = {}) {
	return { status: 'error', message, correlationId: 'c0ffee00-0000-4000-8000-000000000000', category, ...extra };
}

/** A v4 association answer: `to` companies, the first labelled primary when asked. */
export function associations(ids: string[], primary?: string) {
	return {
		results: ids.map((id) => ({
			toObjectId: Number(id),
			associationTypes: [
				{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
				...(id === primary ? [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }] : []),
			],
		})),
	};
}

/** Records the JSON body of matching requests. */
export function capture(into: unknown[]) {
	return (body: unknown) => {
		into.push(body);
		return true;
	};
}
