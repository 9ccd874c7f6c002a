import type { TraceStep } from '../engine';

/** A rule module's answer: the decision plus the trace of what matched, was skipped or fired. */
export interface Evaluation<D> {
	decision: D;
	trace: TraceStep[];
}

/** Own-property lookup: config maps are user-keyed, so "constructor" must not find Object's. */
export function own<V>(record: Record<string, V> | undefined, key: string | undefined): V | undefined {
	return record !== undefined && key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Appends trace steps with less ceremony. */
export function tracer(trace: TraceStep[]) {
	return {
		fired: (rule: string, detail: string) => trace.push({ rule, outcome: 'fired', detail }),
		matched: (rule: string, detail: string) => trace.push({ rule, outcome: 'matched', detail }),
		skipped: (rule: string, detail: string) => trace.push({ rule, outcome: 'skipped', detail }),
	};
}
