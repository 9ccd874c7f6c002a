/**
 * Serves plaintext test credentials to n8n-core the way n8n's own CredentialsHelper serves decrypted
 * ones, including the credential type's `authenticate` (so httpRequestWithAuthentication works) and
 * `preAuthentication` for expirable tokens.
 */
import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IRequestOptionsSimplifiedAuth,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import type { CredentialsMap, CredentialTypeMap } from './types';

export interface CredentialRequest {
	type: string;
	id: string | null;
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Every credential lookup made by a node, in order (type and the id the node referenced). */
	readonly requested: CredentialRequest[] = [];

	constructor(
		private readonly credentials: CredentialsMap = {},
		private readonly credentialTypes: CredentialTypeMap = {},
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		const parents = this.credentialTypes[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const id = nodeCredentials?.id ?? null;
		this.requested.push({ type, id });
		const data = (id !== null ? this.credentials[id] : undefined) ?? this.credentials[type];
		if (!data) {
			throw new Error(`[harness] no test credentials for type "${type}"${id ? ` or id "${id}"` : ''}`);
		}
		return { ...this.defaultsFor(type), ...structuredClone(data) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.credentialTypes[typeName]?.authenticate;
		const options = requestOptions as IHttpRequestOptions;
		if (!authenticate) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (authenticate.type !== 'generic') return options;
		const resolve = (value: unknown) => resolveCredentialExpression(value, credentials, workflow, node);
		const properties = authenticate.properties as IRequestOptionsSimplifiedAuth;
		for (const section of ['headers', 'qs', 'body'] as const) {
			const entries = properties[section];
			if (!entries) continue;
			const target: IDataObject = { ...((options[section] as IDataObject | undefined) ?? {}) };
			for (const [key, value] of Object.entries(entries)) target[String(resolve(key))] = resolve(value) as IDataObject[string];
			(options as unknown as Record<string, IDataObject>)[section] = target;
		}
		if (properties.auth) {
			options.auth = {
				username: String(resolve(properties.auth.username)),
				password: String(resolve(properties.auth.password)),
			};
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes[typeName];
		const expirable = credentialType?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable);
		if (!credentialType?.preAuthentication || !expirable) return undefined;
		if (!credentialsExpired && credentials[expirable.name]) return undefined;
		return await this.runPreAuthentication(helpers, credentials, typeName);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes[typeName];
		if (!credentialType?.preAuthentication) return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		// Persist like n8n does, so the next node in the run reuses the token.
		if (this.credentials[typeName]) Object.assign(this.credentials[typeName], output);
		return output as ICredentialDataDecryptedObject;
	}

	async getCredentials(_nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		throw new Error(`[harness] getCredentials("${type}") (encrypted credentials) is not supported; use getDecrypted`);
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.credentials[nodeCredentials?.id ?? type] = data;
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes[type]?.properties ?? [];
	}

	/** Current data for a type (e.g. to check a refreshed token was stored). */
	current(typeOrId: string): ICredentialDataDecryptedObject | undefined {
		return this.credentials[typeOrId];
	}

	private defaultsFor(type: string): ICredentialDataDecryptedObject {
		const credentialType: ICredentialType | undefined = this.credentialTypes[type];
		const defaults: ICredentialDataDecryptedObject = {};
		for (const property of credentialType?.properties ?? []) {
			const value = property.default;
			// Expression defaults need n8n's credential resolution; tests pass such values explicitly.
			if (value !== undefined && !(typeof value === 'string' && value.startsWith('='))) {
				defaults[property.name] = value as ICredentialDataDecryptedObject[string];
			}
		}
		return defaults;
	}
}

/** Resolves `={{$credentials.x}}` style values of generic `authenticate` definitions. */
function resolveCredentialExpression(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow?: Workflow,
	node?: INode,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	if (workflow && node) {
		return workflow.expression.getParameterValue(
			value,
			null,
			0,
			0,
			node.name,
			[],
			'internal',
			{ $credentials: credentials } as never,
			undefined,
			false,
			credentials,
		);
	}
	// No workflow context: plain `{{ $credentials.name }}` substitution is all generic auth needs.
	return value
		.slice(1)
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_match, key: string) => String(credentials[key] ?? ''));
}
