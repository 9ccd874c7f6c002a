import type { HubspotClient } from './client';

/** What a deal stage means, from `GET /crm/v3/pipelines/deals` stage metadata. */
export interface StageInfo {
	id: string;
	label?: string;
	pipelineId: string;
	isClosed: boolean;
	isWon: boolean;
}

export const PIPELINE_CACHE_MS = 5 * 60_000;

interface RawStage {
	id?: unknown;
	label?: unknown;
	metadata?: Record<string, unknown>;
}

interface RawPipeline {
	id?: unknown;
	stages?: RawStage[];
}

function pipelinesOf(value: unknown): RawPipeline[] {
	const results = Array.isArray(value) ? value : (value as { results?: unknown })?.results;
	return Array.isArray(results) ? results.filter((p): p is RawPipeline => p !== null && typeof p === 'object') : [];
}

/** Closed won = closed with probability 1; custom pipelines use numeric ids, so no id is ever assumed. */
function stageInfo(pipelineId: string, stage: RawStage): StageInfo {
	const metadata = stage.metadata ?? {};
	const isClosed = String(metadata.isClosed).toLowerCase() === 'true';
	return {
		id: String(stage.id),
		label: typeof stage.label === 'string' ? stage.label : undefined,
		pipelineId,
		isClosed,
		isWon: isClosed && Number(metadata.probability) === 1,
	};
}

/** The won stage ids of every pipeline in a `/crm/v3/pipelines/deals` answer. */
export function wonStageIds(pipelines: unknown): Set<string> {
	return new Set(stageIndex(pipelines).filter((stage) => stage.isWon).map((stage) => stage.id));
}

function stageIndex(pipelines: unknown): StageInfo[] {
	return pipelinesOf(pipelines).flatMap((pipeline) =>
		(Array.isArray(pipeline.stages) ? pipeline.stages : []).filter((stage) => stage && stage.id !== undefined).map((stage) => stageInfo(String(pipeline.id), stage)),
	);
}

export class StageCatalog {
	constructor(
		readonly stages: StageInfo[],
		readonly fetchedAt: number,
	) {}

	/** Stage ids are unique within a pipeline; prefer the deal's pipeline, else any pipeline. */
	find(stageId: string, pipelineId?: string): StageInfo | undefined {
		return this.stages.find((s) => s.id === stageId && s.pipelineId === pipelineId) ?? this.stages.find((s) => s.id === stageId);
	}

	get wonIds(): string[] {
		return [...new Set(this.stages.filter((s) => s.isWon).map((s) => s.id))].sort();
	}
}

const cache = new Map<string, StageCatalog>();

/** Deal stages of one account, cached ~5 min across provider instances (n8n builds one per execution). */
export async function dealStages(client: HubspotClient, options: { fresh?: boolean } = {}): Promise<StageCatalog> {
	const key = client.config.accountKey;
	const cached = cache.get(key);
	if (!options.fresh && cached && client.now - cached.fetchedAt < PIPELINE_CACHE_MS) return cached;
	const answer = await client.call((sdk, options) => sdk.crm.pipelines.pipelinesApi.getAll('deals', options));
	const catalog = new StageCatalog(stageIndex(answer), client.now);
	cache.set(key, catalog);
	return catalog;
}

/** Tests and credential changes: forget every cached pipeline. */
export function clearPipelineCache(): void {
	cache.clear();
}

/** The cached stages, re-read once if a deal names a stage the cache does not know (created since). */
export async function stagesCovering(client: HubspotClient, stageIds: Array<string | null | undefined>): Promise<StageCatalog> {
	const before = cache.get(client.config.accountKey);
	const catalog = await dealStages(client);
	const missing = stageIds.some((id) => id && !catalog.stages.some((stage) => stage.id === id));
	return missing && catalog === before ? dealStages(client, { fresh: true }) : catalog;
}
