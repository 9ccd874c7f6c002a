import { signJwtRs256, isConnectorError, type ConnectorError } from '../../core';
import { verifyMarketplaceWebhook } from '../webhooks/marketplace';
import { checkVerifierToken, verifyAutomationsWebhook } from '../webhooks/automations';
import { rsaKeyPair } from './fixtures';

const current = rsaKeyPair();
const next = rsaKeyPair();
const attacker = rsaKeyPair();
const NOW = 1_717_000_000_000;
const nowSec = NOW / 1000;

function provisioned(overrides: Record<string, unknown> = {}) {
	return {
		webhook_id: 'purchase',
		action: 'provisioned',
		account: { id: 'AG-M3PB8CJP2J', company_name: 'King Me', country: 'CA' },
		order_form: { business_account_group_id: 'AG-M3PB8CJP2J' },
		partner_id: 'WOT',
		market_id: 'Westlands',
		activation_id: '02e9929d-35f2-4c70-988f-5650b183ef9f',
		order_form_submission_id: 'OFS-1',
		vendor_order_id: 'ORD-XXXXXXXXXX',
		variable_price: { currency: 'CAD', value: 14000, frequency: 'MONTHLY' },
		edition_id: 'EDITION-123',
		app_id: 'MP-123',
		...overrides,
	};
}

function jwt(body: unknown, { key = current.privateKey, iat = nowSec - 5, iss = 'Vendasta Marketplace', claims = {} }: { key?: string; iat?: number; iss?: string; claims?: Record<string, unknown> } = {}) {
	return signJwtRs256({ iss, iat, exp: iat + 60, 'vendasta.com/marketplace/webhook': body, ...claims }, key);
}

const options = { publicKeys: [current.publicKey], appIds: ['MP-123'], now: NOW };

function rejection(fn: () => unknown): ConnectorError {
	try {
		fn();
	} catch (error) {
		if (isConnectorError(error)) return error;
		throw error;
	}
	throw new Error('expected a rejection');
}

describe('Marketplace webhooks are bound to our app and carry iat', () => {
	it("rejects a genuine Vendasta token for another vendor's app (one signing key serves every vendor)", () => {
		const error = rejection(() => verifyMarketplaceWebhook(jwt(provisioned({ app_id: 'MP-SOMEONE-ELSE' })), options));
		expect(error).toMatchObject({ kind: 'auth', code: 'invalid_audience' });
		expect(error.message).toMatch(/MP-SOMEONE-ELSE.*not this integration/);
	});

	it('rejects every delivery while no app id is configured, and accepts any of several', () => {
		expect(rejection(() => verifyMarketplaceWebhook(jwt(provisioned()), { ...options, appIds: [' ', undefined] })).message).toMatch(/no Marketplace app id is configured/);
		expect(verifyMarketplaceWebhook(jwt(provisioned()), { ...options, appIds: ['MP-OTHER', ' MP-123 '] }).appId).toBe('MP-123');
	});

	it('checks an aud claim when the token has one', () => {
		expect(rejection(() => verifyMarketplaceWebhook(jwt(provisioned(), { claims: { aud: 'MP-OTHER' } }), options)).code).toBe('invalid_audience');
		expect(verifyMarketplaceWebhook(jwt(provisioned(), { claims: { aud: ['x', 'MP-123'] } }), options).appId).toBe('MP-123');
	});

	it('rejects a token without iat: its replay window could not be applied (exp alone is not enough)', () => {
		const token = signJwtRs256({ iss: 'Vendasta Marketplace', exp: nowSec + 3600, 'vendasta.com/marketplace/webhook': provisioned() }, current.privateKey);
		expect(rejection(() => verifyMarketplaceWebhook(token, options)).message).toMatch(/no iat/);
	});
});

describe('Marketplace purchase webhook (RS256 JWT body)', () => {
	it('verifies a provisioned event and returns the typed event with order id and business key', () => {
		const event = verifyMarketplaceWebhook(Buffer.from(jwt(provisioned())), options);
		expect(event).toMatchObject({
			source: 'marketplacePurchase',
			event: 'provisioned',
			webhookId: 'purchase',
			orderId: 'ORD-XXXXXXXXXX',
			businessKey: 'ORD-XXXXXXXXXX',
			activationId: '02e9929d-35f2-4c70-988f-5650b183ef9f',
			accountGroupId: 'AG-M3PB8CJP2J',
			partnerId: 'WOT',
			marketId: 'Westlands',
			appId: 'MP-123',
			editionId: 'EDITION-123',
			issuer: 'Vendasta Marketplace',
			issuedAt: new Date((nowSec - 5) * 1000).toISOString(),
		});
		expect(event.deliveryId).toMatch(/^vmf-mp-[0-9a-f]{40}$/);
		expect(event.payload.variable_price).toEqual({ currency: 'CAD', value: 14000, frequency: 'MONTHLY' });
	});

	it('gives a redelivery (re-signed, later iat) the same delivery id, and a different event a different one', () => {
		const first = verifyMarketplaceWebhook(jwt(provisioned(), { iat: nowSec - 100 }), options);
		const again = verifyMarketplaceWebhook(jwt(provisioned(), { iat: nowSec - 2 }), options);
		const edition = verifyMarketplaceWebhook(jwt(provisioned({ action: 'change-edition', edition_id: 'EDITION-456', previous_edition_id: 'EDITION-123' })), options);
		expect(again.deliveryId).toBe(first.deliveryId);
		expect(edition.deliveryId).not.toBe(first.deliveryId);
		expect(edition.previousEditionId).toBe('EDITION-123');
	});

	it.each(['de-provisioned', 'provisioned-trial'])('accepts %s; without vendor_order_id the activation id is the business key', (action) => {
		const event = verifyMarketplaceWebhook(jwt(provisioned({ action, vendor_order_id: undefined, account: null, deactivation_time: '2024-06-01T00:00:00Z' })), options);
		expect(event.event).toBe(action);
		expect(event.orderId).toBeNull();
		expect(event.businessKey).toBe('02e9929d-35f2-4c70-988f-5650b183ef9f');
		expect(event.accountGroupId).toBe('AG-M3PB8CJP2J');
	});

	it('parses cancel and undo-cancel webhooks', () => {
		const cancel = verifyMarketplaceWebhook(
			jwt({ account_group_id: 'AG-X', activation_id: 'act-9', webhook_id: 'Cancel-Product', action: 'cancel', cancellation_time: '2021-07-31T05:47:52Z', partner_id: 'VNDR', app_id: 'MP-123', vendor_order_id: 'ORD-123', cancellation_choices: ['Too expensive'] }),
			options,
		);
		expect(cancel).toMatchObject({ event: 'cancel', orderId: 'ORD-123', accountGroupId: 'AG-X', occurredAt: '2021-07-31T05:47:52Z', webhookId: 'Cancel-Product' });
		const undo = verifyMarketplaceWebhook(jwt({ account_group_id: 'AG-X', activation_id: 'act-9', action: 'undo-cancel', undo_cancellation_time: '2021-08-01T06:00:00Z', app_id: 'MP-123' }), options);
		expect(undo).toMatchObject({ event: 'undo-cancel', orderId: null, businessKey: 'act-9', occurredAt: '2021-08-01T06:00:00Z' });
		expect(undo.deliveryId).not.toBe(cancel.deliveryId);
	});

	it('rejects a forged token (signed by another key) as auth', () => {
		const error = rejection(() => verifyMarketplaceWebhook(jwt(provisioned(), { key: attacker.privateKey }), options));
		expect(error.kind).toBe('auth');
		expect(error.message).toMatch(/signature does not verify/);
	});

	it('rejects a tampered payload', () => {
		const [h, , s] = jwt(provisioned()).split('.');
		const tampered = Buffer.from(JSON.stringify({ iss: 'Vendasta Marketplace', iat: nowSec, 'vendasta.com/marketplace/webhook': provisioned({ vendor_order_id: 'ORD-EVIL' }) })).toString('base64url');
		expect(rejection(() => verifyMarketplaceWebhook(`${h}.${tampered}.${s}`, options)).kind).toBe('auth');
	});

	it('rejects a stale token (outside the replay window) and an expired one', () => {
		expect(rejection(() => verifyMarketplaceWebhook(jwt(provisioned(), { iat: nowSec - 3600 }), { ...options, replayWindowSec: 300 })).message).toMatch(/expired|replay window/);
		const longWindow = rejection(() => verifyMarketplaceWebhook(jwt(provisioned(), { iat: nowSec - 600 }), { ...options, replayWindowSec: 100_000 }));
		expect(longWindow.message).toMatch(/expired/);
	});

	it('accepts the rotated (next) key while both are configured', () => {
		const both = { ...options, publicKeys: [current.publicKey, next.publicKey] };
		expect(verifyMarketplaceWebhook(jwt(provisioned(), { key: next.privateKey }), both).event).toBe('provisioned');
		expect(rejection(() => verifyMarketplaceWebhook(jwt(provisioned(), { key: next.privateKey }), options)).kind).toBe('auth');
	});

	it('rejects everything when no public key is configured (never skips verification)', () => {
		const error = rejection(() => verifyMarketplaceWebhook(jwt(provisioned()), { ...options, publicKeys: [] }));
		expect(error.kind).toBe('auth');
		expect(error.message).toMatch(/no verification public key/);
		expect(rejection(() => verifyMarketplaceWebhook(jwt(provisioned()), { ...options, publicKeys: ['', undefined] })).kind).toBe('auth');
	});

	it('rejects an empty body and the test issuer unless allowed', () => {
		expect(rejection(() => verifyMarketplaceWebhook(undefined, options)).kind).toBe('auth');
		const testToken = jwt(provisioned(), { iss: 'Vendasta Marketplace Test' });
		expect(rejection(() => verifyMarketplaceWebhook(testToken, options)).code).toBe('invalid_issuer');
		expect(verifyMarketplaceWebhook(testToken, { ...options, allowTestIssuer: true }).issuer).toBe('Vendasta Marketplace Test');
	});

	it('names the field of a genuine but malformed payload (validation, not auth)', () => {
		expect(rejection(() => verifyMarketplaceWebhook(jwt(provisioned({ activation_id: 42 })), options))).toMatchObject({ kind: 'validation', field: 'payload.activation_id' });
		expect(rejection(() => verifyMarketplaceWebhook(jwt(provisioned({ action: 'exploded' })), options))).toMatchObject({ kind: 'validation', field: 'payload.action' });
		expect(rejection(() => verifyMarketplaceWebhook(jwt('nope'), options))).toMatchObject({ kind: 'validation', field: 'payload.vendasta.com/marketplace/webhook' });
		expect(rejection(() => verifyMarketplaceWebhook(jwt({ action: 'cancel', activation_id: 'a' }), options))).toMatchObject({ kind: 'validation', field: 'payload.account_group_id' });
	});
});

describe('Automations webhook (Verifier-Token header)', () => {
	const body = { accountId: 'AG-1234567', entityId: 'AG-1234567:ORD-1234567', marketId: 'default', orderId: 'AG-1234567:ORD-1234567', partnerId: '9YW9' };
	const tokens = { tokens: ['current-token-123', 'previous-token-456'] };

	it('accepts the current token (header name case-insensitive) and parses the raw body', () => {
		const event = verifyAutomationsWebhook({ headers: { 'Verifier-Token': 'current-token-123' }, rawBody: Buffer.from(JSON.stringify(body)) }, tokens);
		expect(event).toMatchObject({
			source: 'automations',
			event: 'automation',
			orderId: 'AG-1234567:ORD-1234567',
			businessKey: 'AG-1234567:ORD-1234567',
			accountGroupId: 'AG-1234567',
			partnerId: '9YW9',
			marketId: 'default',
			entityId: 'AG-1234567:ORD-1234567',
			userId: null,
		});
		expect(event.deliveryId).toMatch(/^vmf-au-[0-9a-f]{40}$/);
	});

	it('accepts the previous token during rotation; same body → same delivery id whatever the key order', () => {
		const a = verifyAutomationsWebhook({ headers: { 'verifier-token': 'previous-token-456' }, body }, tokens);
		const reordered = Object.fromEntries(Object.entries(body).reverse());
		const b = verifyAutomationsWebhook({ headers: { 'verifier-token': ['current-token-123'] }, body: JSON.stringify(reordered) }, tokens);
		expect(a.deliveryId).toBe(b.deliveryId);
	});

	it('rejects a wrong token, a missing header, and any request when no token is configured', () => {
		expect(rejection(() => verifyAutomationsWebhook({ headers: { 'verifier-token': 'guess' }, body }, tokens)).message).toMatch(/does not match/);
		expect(rejection(() => verifyAutomationsWebhook({ headers: {}, body }, tokens)).message).toMatch(/no Verifier-Token header/);
		const unconfigured = rejection(() => verifyAutomationsWebhook({ headers: { 'verifier-token': 'current-token-123' }, body }, { tokens: ['', undefined] }));
		expect(unconfigured).toMatchObject({ kind: 'auth', code: 'invalid_verifier_token' });
		expect(unconfigured.message).toMatch(/no Verifier-Token is configured/);
	});

	it('checks the token before reading the body', () => {
		expect(rejection(() => verifyAutomationsWebhook({ headers: { 'verifier-token': 'bad' }, rawBody: 'not json' }, tokens)).kind).toBe('auth');
	});

	it('compares tokens without accepting prefixes or padding tricks', () => {
		expect(checkVerifierToken('current-token-12', tokens.tokens).ok).toBe(false);
		expect(checkVerifierToken('current-token-1234', tokens.tokens).ok).toBe(false);
		expect(checkVerifierToken(' current-token-123 ', tokens.tokens).ok).toBe(true);
	});

	it('names the field of a malformed body', () => {
		const ok = { 'verifier-token': 'current-token-123' };
		expect(rejection(() => verifyAutomationsWebhook({ headers: ok, body: { accountId: 'AG-1' } }, tokens))).toMatchObject({ kind: 'validation', field: 'body.orderId' });
		expect(rejection(() => verifyAutomationsWebhook({ headers: ok, rawBody: '{oops' }, tokens))).toMatchObject({ kind: 'validation', field: 'body' });
		expect(rejection(() => verifyAutomationsWebhook({ headers: ok, body: '{oops' }, tokens))).toMatchObject({ kind: 'validation', field: 'body' });
		expect(rejection(() => verifyAutomationsWebhook({ headers: ok, body: undefined }, tokens))).toMatchObject({ kind: 'validation', field: 'body' });
	});
});
