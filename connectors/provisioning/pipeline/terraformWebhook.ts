import { ConnectorError, parseInput, sha256Hex, validationError, verifyHmac, z } from '../../core';
import { TERRAFORM_VENDOR } from './terraform';
import { keysFromRunMessage, mapTerraformStatus } from './terraformStatus';
import { isTerminalStatus, type PipelineStatus } from './types';
import { headerValue, rawText, secretList, type WebhookRequest } from './webhookRequest';

export const TFE_SIGNATURE_HEADER = 'X-TFE-Notification-Signature';
export const TFE_VERIFICATION_TRIGGER = 'verification';

export const terraformNotificationSchema = z
	.object({
		payload_version: z.literal(1),
		notification_configuration_id: z.string().nullish(),
		run_url: z.string().nullish(),
		run_id: z.string().nullish(),
		run_message: z.string().nullish(),
		workspace_id: z.string().nullish(),
		workspace_name: z.string().nullish(),
		organization_name: z.string().nullish(),
		notifications: z
			.array(z.object({ trigger: z.string().min(1), run_status: z.string().nullish(), message: z.string().nullish(), run_updated_at: z.string().nullish() }).passthrough())
			.min(1, 'at least one notification'),
	})
	.passthrough();

export interface TerraformWebhookOptions {
	/** The notification configuration's token(s); more than one while rotating. None = every delivery rejected. */
	tokens: string | readonly (string | undefined | null)[];
}

export interface TerraformNotificationEvent {
	source: 'terraform';
	/** The test request HCP Terraform sends when a notification configuration is saved: answer 2xx, do nothing. */
	verification: boolean;
	trigger: string;
	runId: string | null;
	workspaceId: string | null;
	rawStatus: string | null;
	status: PipelineStatus | null;
	terminal: boolean;
	url: string | null;
	/** From the run message the runner wrote; null for runs it did not start. */
	businessKey: string | null;
	idempotencyKey: string | null;
	/** Run id + trigger + status: the same notification delivered twice has the same key. */
	dedupeKey: string;
}

/**
 * Verifies an HCP Terraform notification: `X-TFE-Notification-Signature` must be the hex HMAC-SHA512 of the raw
 * body under the configured token. Throws kind `auth` when it is missing or wrong (or no token is configured),
 * kind `validation` when the raw body is unavailable or the payload is malformed.
 */
export function verifyTerraformWebhook(request: WebhookRequest, options: TerraformWebhookOptions): TerraformNotificationEvent {
	const reject = (reason: string) => new ConnectorError('auth', `HCP Terraform notification rejected: ${reason}`, { vendor: TERRAFORM_VENDOR, code: 'invalid_signature' });
	const tokens = secretList(options.tokens);
	if (tokens.length === 0) throw reject('no notification token is configured');
	const raw = rawText(request) ?? (typeof request.body === 'string' ? request.body : undefined);
	if (raw === undefined) throw validationError('rawBody', 'the exact request bytes (the signature covers them; a re-serialised body will not match)', undefined, TERRAFORM_VENDOR);
	const check = verifyHmac({ payload: raw, signatures: headerValue(request.headers, TFE_SIGNATURE_HEADER), secrets: tokens, algorithm: 'sha512', encoding: 'hex' });
	if (!check.ok) throw reject(check.reason);
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		throw validationError('body', 'a JSON object', 'text that is not JSON', TERRAFORM_VENDOR);
	}
	const payload = parseInput(terraformNotificationSchema, body, 'body', TERRAFORM_VENDOR);
	const notification = payload.notifications[0];
	const verification = notification.trigger === TFE_VERIFICATION_TRIGGER;
	const rawStatus = verification ? null : (notification.run_status ?? null);
	const status = rawStatus ? mapTerraformStatus(rawStatus) : null;
	const keys = keysFromRunMessage(payload.run_message);
	return {
		source: 'terraform',
		verification,
		trigger: notification.trigger,
		runId: payload.run_id ?? null,
		workspaceId: payload.workspace_id ?? null,
		rawStatus,
		status,
		terminal: status !== null && isTerminalStatus(status),
		url: payload.run_url ?? null,
		businessKey: keys.businessKey,
		idempotencyKey: keys.idempotencyKey,
		dedupeKey: verification
			? `tfe-verification-${sha256Hex(raw).slice(0, 32)}`
			: `tfe-${payload.run_id ?? 'no-run'}-${notification.trigger}-${rawStatus ?? 'unknown'}`,
	};
}
