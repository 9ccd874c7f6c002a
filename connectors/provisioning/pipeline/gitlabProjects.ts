import { type HttpTransport, validationError, z } from '../../core';
import { GITLAB_VENDOR } from './gitlab';

const projectSchema = z.object({ id: z.number().int(), name: z.string(), path_with_namespace: z.string(), web_url: z.string().nullish() }).passthrough();

export interface GitlabProjectOption {
	id: string;
	name: string;
	path: string;
	url: string | null;
}

/** Projects the token's user is a member of, for a project picker (`GET /projects?search=&membership=true`). */
export async function listGitlabProjects(transport: HttpTransport, input: { search?: string; limit?: number } = {}): Promise<GitlabProjectOption[]> {
	const limit = input.limit ?? 50;
	if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw validationError('limit', 'a whole number from 1 to 100', limit, GITLAB_VENDOR);
	if (input.search !== undefined && typeof input.search !== 'string') throw validationError('search', 'text', input.search, GITLAB_VENDOR);
	const search = input.search?.trim() || undefined;
	const projects = await transport.request({
		method: 'GET',
		path: '/api/v4/projects',
		query: { search, membership: true, simple: true, order_by: 'last_activity_at', per_page: limit },
		responseSchema: z.array(projectSchema),
	});
	return projects.map((p) => ({ id: String(p.id), name: p.name, path: p.path_with_namespace, url: p.web_url ?? null }));
}
