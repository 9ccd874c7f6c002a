import { z } from 'zod';

/** Purchase webhook actions (`webhook_id: "purchase"`), then the cancellation webhook's. */
export const PURCHASE_ACTIONS = ['provisioned', 'de-provisioned', 'change-edition', 'provisioned-trial'] as const;
export const CANCELLATION_ACTIONS = ['cancel', 'undo-cancel'] as const;
export const MARKETPLACE_EVENTS = [...PURCHASE_ACTIONS, ...CANCELLATION_ACTIONS] as const;
export type MarketplaceEventType = (typeof MARKETPLACE_EVENTS)[number];

/** The claim holding the webhook body inside the JWT. */
export const MARKETPLACE_CLAIM = 'vendasta.com/marketplace/webhook';
export const MARKETPLACE_ISSUER = 'Vendasta Marketplace';
export const MARKETPLACE_TEST_ISSUER = 'Vendasta Marketplace Test';

const optionalText = z.string().nullish();

export const purchasePayloadSchema = z
	.object({
		webhook_id: optionalText,
		action: z.enum(PURCHASE_ACTIONS),
		activation_id: z.string().min(1),
		account: z.object({ id: z.string().min(1) }).passthrough().nullish(),
		order_form: z.record(z.unknown()).nullish(),
		partner_id: optionalText,
		market_id: optionalText,
		vendor_order_id: optionalText,
		order_form_submission_id: optionalText,
		app_id: optionalText,
		edition_id: optionalText,
		previous_edition_id: optionalText,
		addon_id: optionalText,
		activation_time: optionalText,
		deactivation_time: optionalText,
		variable_price: z
			.object({ currency: z.string().optional(), value: z.number().optional(), frequency: z.string().optional() })
			.passthrough()
			.nullish(),
	})
	.passthrough();
export type PurchasePayload = z.infer<typeof purchasePayloadSchema>;

export const cancellationPayloadSchema = z
	.object({
		webhook_id: optionalText,
		action: z.enum(CANCELLATION_ACTIONS),
		activation_id: z.string().min(1),
		account_group_id: z.string().min(1),
		partner_id: optionalText,
		app_id: optionalText,
		edition_id: optionalText,
		addon_id: optionalText,
		vendor_order_id: optionalText,
		activation_time: optionalText,
		cancellation_time: optionalText,
		deactivation_time: optionalText,
		undo_cancellation_time: optionalText,
		renewal_time: optionalText,
		cancellation_choices: z.array(z.string()).nullish(),
		cancellation_comment: optionalText,
	})
	.passthrough();
export type CancellationPayload = z.infer<typeof cancellationPayloadSchema>;

/** Automations "Send/Trigger a webhook" JSON body; our order flow needs `orderId`. */
export const automationsBodySchema = z
	.object({
		orderId: z.string().trim().min(1),
		accountId: z.string().optional(),
		entityId: z.string().optional(),
		partnerId: z.string().optional(),
		marketId: z.string().optional(),
		userId: z.string().optional(),
		event: z.string().optional(),
	})
	.passthrough();
export type AutomationsBody = z.infer<typeof automationsBodySchema>;
