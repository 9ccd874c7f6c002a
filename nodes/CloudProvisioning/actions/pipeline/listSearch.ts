import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { listGitlabProjects, listTerraformWorkspaces } from '../../../../connectors/provisioning/pipeline';
import { cloudClientsForLoadOptions } from '../../clients';

/** GitLab projects the access token's user is a member of (newest activity first), searched by name. */
export async function searchGitlabProjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const transport = await cloudClientsForLoadOptions(this).gitlabApi();
	const projects = await listGitlabProjects(transport, { search: filter || undefined, limit: 50 });
	return { results: projects.map((project) => ({ name: project.path, value: project.id, ...(project.url ? { url: project.url } : {}) })) };
}

/** Workspaces of the Terraform credential's organization, searched by name. */
export async function searchTerraformWorkspaces(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { transport, organization } = await cloudClientsForLoadOptions(this).terraformApi();
	const workspaces = await listTerraformWorkspaces(transport, { organization, search: filter || undefined, limit: 50 });
	return { results: workspaces.map((workspace) => ({ name: `${workspace.name} (${workspace.id})`, value: workspace.id })) };
}
