import { join } from 'node:path';
import { defaultDataDir } from '../../connectors/core';

interface WorkflowAware {
	getWorkflow(): { id?: string | number | null };
}

/**
 * Default directory of a trigger's dedupe marks: one per workflow, so two workflows listening to the same
 * vendor (e.g. a Salesforce and a HubSpot copy of a template, both subscribed to DocuSign Connect) each
 * process a delivery once instead of the first one swallowing it for the other.
 */
export function defaultDedupeDir(context: WorkflowAware, vendor: string): string {
	const workflowId = String(context.getWorkflow().id ?? '').replace(/[^A-Za-z0-9_-]/g, '_') || 'unsaved';
	return join(defaultDataDir(), 'dedupe', vendor, workflowId);
}
