import * as lead from './actions/lead';
import * as policy from './actions/policy';
import * as simulation from './actions/simulation';
import type { RevOpsOperations } from './router';

/** Every resource's operation handlers (the node module exports only its class: the pack loads its first export). */
export const operations: RevOpsOperations = { lead: lead.operations, policy: policy.operations, simulation: simulation.operations };

export const operationProperties = [...policy.description, ...lead.description, ...simulation.description];
