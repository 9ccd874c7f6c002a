export * from './config';
export * from './errors';
export * from './client';
export * from './provider';
export { wonStageIds, clearPipelineCache, PIPELINE_CACHE_MS, type StageInfo } from './pipelines';
export { normaliseDomain } from './accounts';
export { taskMarker } from './tasks';
export { DEAL_PROPERTIES, COMPANY_PROPERTIES, toMinorUnits } from './mapping';
export * from './webhooks';
