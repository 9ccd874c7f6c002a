/**
 * The RevOps policy engine backed by an Open Policy Agent server (REST Data API). Attributes are validated and
 * normalised here, exactly as for the built-in engine, so OPA sees the same `input` the golden table was written on.
 * OPA's answer is validated against the decision schema: a malformed result is an error, never a decision; an
 * undefined document (no `result`) is a deny.
 */
import type { AxiosInstance } from 'axios';
import { ConnectorError, HttpTransport, isConnectorError, z, zodToValidationError } from '../core';
import { decisionSchemas, normaliseAttributes } from './attributes';
import { configVersion, type RevOpsConfig } from './config';
import type { DecisionKind, DecisionOf, PolicyEngine, PolicyResult, TraceStep } from './engine';

export { opaAvailable, startOpaServer, loadPolicies, policyModules, POLICY_DIR, type OpaAvailability, type RunningOpa } from './opaLocal';

export const DEFAULT_OPA_PACKAGE_PATH = 'q2c/revops';
export const POLICY_UNDEFINED = 'policy undefined';
const VENDOR = 'OPA';

export interface OpaEngineOptions {
	/** OPA's base URL, e.g. http://127.0.0.1:8181 (no path). */
	baseUrl: string;
	/** Data path of the RevOps packages: `q2c/revops` → `package q2c.revops.<kind>`. */
	packagePath?: string;
	/** Sent as `Authorization: Bearer …` (OPA `--authentication=token`); never logged or put in errors. */
	token?: string;
	/** Per request (default 5000 ms). */
	timeoutMs?: number;
	now?: () => Date;
	/** Inject a preconfigured axios instance (tests). */
	axiosInstance?: AxiosInstance;
}

const opaAnswerSchema = z.object({ result: z.unknown().optional() }).passthrough();

/** A PolicyEngine that asks OPA `POST {baseUrl}/v1/data/{packagePath}/{kind}/decision` with `{ input: { attributes, config } }`. */
export function createOpaEngine(options: OpaEngineOptions): PolicyEngine {
	const baseUrl = parseBaseUrl(options.baseUrl);
	const packagePath = (options.packagePath ?? DEFAULT_OPA_PACKAGE_PATH).replace(/^\/+|\/+$/g, '');
	if (!/^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/.test(packagePath)) {
		throw new ConnectorError('validation', `Invalid "packagePath": expected a data path such as "q2c/revops" (received ${JSON.stringify(options.packagePath)})`, { field: 'packagePath', expected: 'a data path such as "q2c/revops"' });
	}
	const token = options.token?.trim() || undefined;
	const now = options.now ?? (() => new Date());
	const transport = new HttpTransport({
		vendor: VENDOR,
		baseUrl: baseUrl.href,
		timeoutMs: options.timeoutMs ?? 5000,
		headers: (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {}),
		secrets: [token],
		// Each decision is asked for once: the caller decides whether to retry a workflow step.
		retry: { retries: 0 },
		axiosInstance: options.axiosInstance,
	});
	const shownUrl = baseUrl.href.replace(/\/+$/, '');

	async function post(path: string, body: unknown): Promise<unknown> {
		try {
			return await transport.request({ method: 'POST', path, body });
		} catch (error) {
			throw unavailable(error, `${shownUrl}${path}`);
		}
	}

	return {
		name: 'opa',
		async evaluate<K extends DecisionKind>(kind: K, attributes: unknown, config: RevOpsConfig): Promise<PolicyResult<DecisionOf<K>>> {
			const normalised = normaliseAttributes(kind, attributes, config);
			const path = `/v1/data/${packagePath}/${kind}/decision`;
			const url = `${shownUrl}${path}`;
			const answer = await post(path, { input: { attributes: normalised, config } });
			const parsedAnswer = opaAnswerSchema.safeParse(answer);
			if (!parsedAnswer.success) {
				throw new ConnectorError('permanent', `OPA at ${url} answered with something other than a JSON object with "result"`, { vendor: VENDOR, field: 'result' });
			}
			const trace: TraceStep[] = [{ rule: 'opa', outcome: 'fired', detail: `POST ${path} → 200` }];
			let decision: DecisionOf<K>;
			if (parsedAnswer.data.result === undefined) {
				decision = undefinedDecision(kind, config) as DecisionOf<K>;
				trace.push({ rule: 'opa_undefined', outcome: 'fired', detail: `${packagePath}/${kind}/decision is undefined in OPA (no result): denied` });
			} else {
				decision = validDecision(kind, parsedAnswer.data.result, url);
			}
			return { kind, engine: 'opa', decision, attributes: normalised, trace, config_version: configVersion(config), evaluated_at: now().toISOString() };
		},
	};
}

function parseBaseUrl(raw: string): URL {
	let url: URL;
	try {
		url = new URL(String(raw ?? '').trim());
	} catch {
		throw new ConnectorError('validation', 'Invalid "baseUrl": expected the OPA server URL such as "http://127.0.0.1:8181"', { field: 'baseUrl', expected: 'the OPA server URL such as "http://127.0.0.1:8181"' });
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConnectorError('validation', `Invalid "baseUrl": expected an http(s) URL (received ${JSON.stringify(url.protocol)})`, { field: 'baseUrl', expected: 'an http(s) URL' });
	}
	// Credentials in the URL would leak into every error message: OPA takes a bearer token instead.
	url.username = '';
	url.password = '';
	url.search = '';
	url.hash = '';
	return url;
}

/** OPA down, 5xx, timeouts, auth refusals: an error naming OPA and the URL (never a credential), never a decision. */
function unavailable(error: unknown, url: string): ConnectorError {
	if (!isConnectorError(error)) return new ConnectorError('transient', `OPA at ${url} could not be asked: ${String(error)}`, { vendor: VENDOR });
	const reason = error.status !== undefined ? `answered HTTP ${error.status}${opaMessage(error.details)}` : error.message.includes('timed out') ? 'timed out' : `is unreachable (${error.code ?? 'network error'})`;
	return new ConnectorError(error.kind, `OPA at ${url} ${reason}; no policy decision was made`, {
		vendor: VENDOR,
		status: error.status,
		code: error.code,
		details: error.details,
		cause: error,
	});
}

function opaMessage(body: unknown): string {
	if (!body || typeof body !== 'object') return '';
	const { code, message } = body as { code?: unknown; message?: unknown };
	const parts = [code, message].filter((part): part is string => typeof part === 'string' && part.length > 0);
	return parts.length > 0 ? `: ${parts.join(': ')}` : '';
}

function validDecision<K extends DecisionKind>(kind: K, result: unknown, url: string): DecisionOf<K> {
	// Strict: a Rego rule that adds fields would break "exactly the seed's fields".
	const schema = (decisionSchemas[kind] as unknown as z.AnyZodObject).strict();
	const parsed = schema.safeParse(result);
	if (parsed.success) return parsed.data as DecisionOf<K>;
	const issue = zodToValidationError(parsed.error.issues, 'result', result, VENDOR);
	const field = issue.field ?? 'result';
	throw new ConnectorError('permanent', `OPA at ${url} returned a malformed ${kind} decision: ${field}: expected ${issue.expected}`, {
		vendor: VENDOR,
		field,
		expected: issue.expected,
		details: issue.details,
	});
}

/** The deny an undefined policy document stands for (the rule did not produce a decision). */
export function undefinedDecision<K extends DecisionKind>(kind: K, config: RevOpsConfig): DecisionOf<K> {
	const decisions: { [P in DecisionKind]: DecisionOf<P> } = {
		lead_routing: { allow: false, route_strategy: config.routing.default_strategy, conflicts: [POLICY_UNDEFINED], required_enrichment: [] },
		discount_approvals: { allow: false, max_allowed_discount: 0, required_approvals: [], flags: { legal_required: false, strategic: false }, rationale: `${POLICY_UNDEFINED}: denied.` },
		contract_activation: { allow: false, blocking_issues: [POLICY_UNDEFINED], required_receipts: [...config.activation.required_receipts], allowed_jurisdictions: [...(config.terms.allowed_jurisdictions ?? [])] },
	};
	return decisions[kind];
}
