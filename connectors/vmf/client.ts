import { HttpTransport, validationError, type RateLimit, type RetryPolicy } from '../core';
import { mapVmfError, VMF_VENDOR } from './errors';
import { resolveActivation, type ResolveActivationInput, type ResolveActivationResult } from './activations/resolve';
import { getOrder, getOrderCustomFields, type OrderWithCustomFields } from './orders/get';
import { listOrders, type ListOrdersInput, type OrderPage } from './orders/list';
import { updateOrderStatus, type UpdateOrderStatusInput, type UpdateOrderStatusResult } from './orders/updateStatus';
import { cancelSubscriptionAssignment, type CancelAssignmentInput, type AssignmentActionResult } from './subscriptionAssignments/cancel';
import { undoCancelSubscriptionAssignment, type UndoCancelAssignmentInput } from './subscriptionAssignments/undoCancel';
import { listVtmTasks, type ListVtmTasksInput, type VtmTaskPage } from './vtm/listTasks';
import { completeVtmTask, type CompleteVtmTaskInput } from './vtm/completeTask';
import { commentVtmTask, type CommentVtmTaskInput } from './vtm/commentTask';
import type { Order, PartnerField } from './schemas/order';
import type { VtmComment, VtmTask } from './schemas/vtm';

export const DEFAULT_PLATFORM_URL = 'https://prod.apigateway.co/platform';
export const DEFAULT_MARKETPLACE_URL = 'https://developers.vendasta.com/api/v1';

export interface VmfClientOptions {
	/** Platform API (orders, subscription assignments), JSON:API. */
	platformBaseUrl?: string;
	/** Marketplace vendor API (activation resolve). */
	marketplaceBaseUrl?: string;
	/** VTM project-task API (our published vtm.openapi.yaml); required only for VTM calls. */
	vtmBaseUrl?: string;
	/** Bearer token for the Platform API (and VTM / Marketplace unless their own tokens are set). */
	accessToken: string;
	marketplaceAccessToken?: string;
	vtmAccessToken?: string;
	/** Partner whose orders are listed (`filter[partner.id]`) and who owns the contracts. */
	partnerId?: string;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
	rateLimit?: RateLimit;
	sleep?: (ms: number) => Promise<void>;
}

/** Vendasta's published gateway limits are per token; stay well under them by default. */
const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 10, burst: 20 };

/** One client for the VMF systems: Platform API, Marketplace API and VTM tasks. */
export class VmfClient {
	readonly platform: HttpTransport;
	readonly marketplace: HttpTransport;
	private readonly vtmTransport?: HttpTransport;
	readonly partnerId?: string;

	constructor(options: VmfClientOptions) {
		if (typeof options.accessToken !== 'string' || options.accessToken.trim() === '') {
			throw validationError('accessToken', 'a non-empty VMF access token');
		}
		this.partnerId = options.partnerId?.trim() || undefined;
		const common = { timeoutMs: options.timeoutMs, retry: options.retry, sleep: options.sleep, mapError: mapVmfError, rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT };
		const bearer = (token: string) => () => ({ Authorization: `Bearer ${token}` });
		const platformToken = options.accessToken.trim();
		const marketplaceToken = options.marketplaceAccessToken?.trim() || platformToken;
		const vtmToken = options.vtmAccessToken?.trim() || platformToken;
		const secrets = [platformToken, marketplaceToken, vtmToken];
		this.platform = new HttpTransport({
			...common,
			vendor: VMF_VENDOR,
			baseUrl: options.platformBaseUrl?.trim() || DEFAULT_PLATFORM_URL,
			headers: bearer(platformToken),
			secrets,
			rateLimitKey: `platform:${this.partnerId ?? 'default'}`,
		});
		this.marketplace = new HttpTransport({
			...common,
			vendor: VMF_VENDOR,
			baseUrl: options.marketplaceBaseUrl?.trim() || DEFAULT_MARKETPLACE_URL,
			headers: bearer(marketplaceToken),
			secrets,
			rateLimitKey: `marketplace:${this.partnerId ?? 'default'}`,
		});
		if (options.vtmBaseUrl?.trim()) {
			this.vtmTransport = new HttpTransport({
				...common,
				vendor: VMF_VENDOR,
				baseUrl: options.vtmBaseUrl.trim(),
				headers: bearer(vtmToken),
				secrets,
				rateLimitKey: `vtm:${this.partnerId ?? 'default'}`,
			});
		}
	}

	get vtm(): HttpTransport {
		if (!this.vtmTransport) throw validationError('vtmBaseUrl', 'the VTM API base URL (set it on the VMF credential)');
		return this.vtmTransport;
	}

	getOrder(orderId: string): Promise<Order> {
		return getOrder(this.platform, orderId);
	}

	getOrderCustomFields(orderId: string): Promise<PartnerField[]> {
		return getOrderCustomFields(this.platform, orderId);
	}

	/** The order and its custom fields (where the contract's terms live). */
	async getOrderWithCustomFields(orderId: string): Promise<OrderWithCustomFields> {
		const order = await this.getOrder(orderId);
		return { order, customFields: await this.getOrderCustomFields(order.id) };
	}

	listOrders(input: Omit<ListOrdersInput, 'partnerId'> & { partnerId?: string } = {}): Promise<OrderPage> {
		return listOrders(this.platform, { ...input, partnerId: input.partnerId ?? this.partnerId ?? '' });
	}

	updateOrderStatus(input: UpdateOrderStatusInput): Promise<UpdateOrderStatusResult> {
		return updateOrderStatus(this.platform, input);
	}

	resolveActivation(input: ResolveActivationInput): Promise<ResolveActivationResult> {
		return resolveActivation(this.marketplace, input);
	}

	cancelSubscriptionAssignment(input: CancelAssignmentInput): Promise<AssignmentActionResult> {
		return cancelSubscriptionAssignment(this.platform, input);
	}

	undoCancelSubscriptionAssignment(input: UndoCancelAssignmentInput): Promise<AssignmentActionResult> {
		return undoCancelSubscriptionAssignment(this.platform, input);
	}

	async listVtmTasks(input: ListVtmTasksInput): Promise<VtmTaskPage> {
		return listVtmTasks(this.vtm, input);
	}

	async completeVtmTask(input: CompleteVtmTaskInput): Promise<VtmTask> {
		return completeVtmTask(this.vtm, input);
	}

	async commentVtmTask(input: CommentVtmTaskInput): Promise<VtmComment> {
		return commentVtmTask(this.vtm, input);
	}
}
