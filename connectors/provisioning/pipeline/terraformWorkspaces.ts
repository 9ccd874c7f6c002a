import { type HttpTransport, REDACTED, validationError, z } from '../../core';
import { checkTerraformId, TERRAFORM_VENDOR } from './terraform';
import { segment } from './transport';

const ORGANIZATION = /^[A-Za-z0-9_-]+$/;

export interface TerraformWorkspaceOption {
	id: string;
	name: string;
}

export interface TerraformOutput {
	name: string;
	/** The output's value; `[redacted]` when Terraform marks it sensitive. */
	value: unknown;
	sensitive: boolean;
	type: string | null;
}

const workspaceListSchema = z.object({ data: z.array(z.object({ id: z.string(), attributes: z.object({ name: z.string() }).passthrough() }).passthrough()) });
const outputListSchema = z.object({
	data: z.array(z.object({ attributes: z.object({ name: z.string(), sensitive: z.boolean().nullish(), type: z.string().nullish(), value: z.unknown() }).passthrough() }).passthrough()),
});

/** Workspaces of an organization for a picker (`GET /organizations/:org/workspaces?search[name]=`). */
export async function listTerraformWorkspaces(transport: HttpTransport, input: { organization: string; search?: string; limit?: number }): Promise<TerraformWorkspaceOption[]> {
	const organization = typeof input?.organization === 'string' ? input.organization.trim() : '';
	if (!ORGANIZATION.test(organization)) throw validationError('organization', 'an HCP Terraform organization name', input?.organization, TERRAFORM_VENDOR);
	if (input.search !== undefined && typeof input.search !== 'string') throw validationError('search', 'text', input.search, TERRAFORM_VENDOR);
	const limit = input.limit ?? 50;
	if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw validationError('limit', 'a whole number from 1 to 100', limit, TERRAFORM_VENDOR);
	const answer = await transport.request({
		method: 'GET',
		path: `/organizations/${segment(organization)}/workspaces`,
		query: { 'search[name]': input.search?.trim() || undefined, 'page[size]': limit },
		responseSchema: workspaceListSchema,
	});
	return answer.data.map((w) => ({ id: w.id, name: w.attributes.name }));
}

/** The workspace's current outputs (`GET /workspaces/:id/current-state-version-outputs`); sensitive values masked. */
export async function getTerraformOutputs(transport: HttpTransport, workspaceId: string): Promise<Record<string, TerraformOutput>> {
	const id = checkTerraformId(workspaceId, 'workspaceId', /^ws-[A-Za-z0-9]+$/, 'ws-AbC123');
	const answer = await transport.request({ method: 'GET', path: `/workspaces/${segment(id)}/current-state-version-outputs`, responseSchema: outputListSchema });
	const outputs: Record<string, TerraformOutput> = {};
	for (const { attributes } of answer.data) {
		const sensitive = attributes.sensitive === true;
		const output: TerraformOutput = { name: attributes.name, value: sensitive ? REDACTED : (attributes.value ?? null), sensitive, type: attributes.type ?? null };
		// defineProperty: an output named "__proto__" must stay an entry, not replace the prototype.
		Object.defineProperty(outputs, attributes.name, { value: output, enumerable: true, writable: true, configurable: true });
	}
	return outputs;
}
