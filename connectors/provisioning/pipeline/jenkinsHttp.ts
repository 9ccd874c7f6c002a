import axios from 'axios';
import { isConnectorError, registerSecret, type HttpTransport, type VendorErrorMapping, z } from '../../core';
import { checkBaseUrl, createPipelineTransport, type PipelineConnectionOptions } from './transport';
import { requireText } from './validate';

export const JENKINS_VENDOR = 'Jenkins';
const CRUMB_REQUIRED = 'crumb_required';

export interface JenkinsConnectionOptions extends Omit<PipelineConnectionOptions, 'axiosInstance'> {
	/** Jenkins root URL, including any context path ("https://ci.example.com/jenkins"). */
	baseUrl: string;
	user: string;
	/** A user API token (not the password). */
	apiToken: string;
}

/** Successful answers arrive wrapped so callers can read `Location` (queue item) and the session cookie. */
export interface JenkinsEnvelope<T> {
	status: number;
	body?: T;
	location?: string;
	cookie?: string;
}

const crumbSchema = z.object({ crumb: z.string().min(1), crumbRequestField: z.string().min(1) }).passthrough();

function envelopeSchema<T extends z.ZodTypeAny>(body: T) {
	return z.object({ status: z.number(), body, location: z.string().optional(), cookie: z.string().optional() });
}

/** Jenkins error pages are HTML; keep the readable text, and recognise its CSRF refusal. */
export function mapJenkinsError(status: number, body: unknown): VendorErrorMapping | undefined {
	if (typeof body !== 'string') return undefined;
	const text = body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
	if (status === 403 && /crumb/i.test(text)) return { code: CRUMB_REQUIRED, message: 'No valid crumb was included in the request' };
	return text ? { message: text } : undefined;
}

/** Jenkins REST with Basic auth (user + API token), redirects kept visible, and the CSRF crumb fetched when asked. */
export class JenkinsHttp {
	readonly transport: HttpTransport;
	private crumbHeaders?: Record<string, string>;

	constructor(options: JenkinsConnectionOptions) {
		const baseUrl = checkBaseUrl(options.baseUrl, JENKINS_VENDOR, 'https://ci.example.com');
		const user = requireText(options.user, 'user', 'a Jenkins user name', JENKINS_VENDOR);
		const apiToken = requireText(options.apiToken, 'apiToken', 'a Jenkins API token', JENKINS_VENDOR, true);
		const basic = Buffer.from(`${user}:${apiToken}`).toString('base64');
		const instance = axios.create({ baseURL: baseUrl, timeout: options.timeoutMs ?? 30_000, validateStatus: () => true, maxRedirects: 0 });
		instance.interceptors.response.use((response) => {
			if (response.status >= 400) return response;
			const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0]?.split(';')[0];
			const location = response.headers.location as string | undefined;
			// 303 (merged with an identical queued item) and 302 (stop/cancel) are answers here, not errors.
			const status = response.status;
			response.data = { status, body: response.data === '' ? null : response.data, location, cookie };
			if (status >= 300) response.status = 200;
			return response;
		});
		this.transport = createPipelineTransport(
			{ vendor: JENKINS_VENDOR, baseUrl, headers: () => ({ Authorization: `Basic ${basic}` }), secrets: [apiToken, basic], defaultRateLimit: { perSecond: 5, burst: 10 }, mapError: mapJenkinsError },
			{ ...options, axiosInstance: instance },
		);
	}

	async get<T extends z.ZodTypeAny>(path: string, schema: T, query?: Record<string, string | number>): Promise<z.infer<T>> {
		const answer = await this.transport.request({ method: 'GET', path, query, responseSchema: envelopeSchema(schema) });
		return answer.body as z.infer<T>;
	}

	/** POSTs a form; when Jenkins refuses for want of a crumb, fetches one and tries once more. */
	async post(path: string, form?: URLSearchParams, options: { repeatable?: boolean } = {}): Promise<JenkinsEnvelope<unknown>> {
		const send = () =>
			this.transport.request({
				method: 'POST',
				path,
				body: form ? form.toString() : '',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...this.crumbHeaders },
				idempotencyKey: options.repeatable ? `jenkins-${path}` : undefined,
				responseSchema: envelopeSchema(z.unknown()),
			});
		try {
			return await send();
		} catch (error) {
			if (!isConnectorError(error) || error.code !== CRUMB_REQUIRED) throw error;
			await this.fetchCrumb();
			return send();
		}
	}

	private async fetchCrumb(): Promise<void> {
		const answer = await this.transport.request({ method: 'GET', path: '/crumbIssuer/api/json', responseSchema: envelopeSchema(crumbSchema) });
		registerSecret(answer.body.crumb);
		// The crumb is bound to the web session that issued it, so its cookie goes along.
		this.crumbHeaders = { [answer.body.crumbRequestField]: answer.body.crumb, ...(answer.cookie ? { Cookie: answer.cookie } : {}) };
	}
}
