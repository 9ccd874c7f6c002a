/**
 * Deterministic interleaving of async contenders for race tests: each contender stops at every gated call (a
 * file-system call, say) and a chooser decides which one goes next, so one step runs at a time and a seed (or a
 * script) reproduces the same interleaving on every run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Picks the next contender from the ids that are waiting (ascending); `step` counts the choices made. */
export type Chooser = (ready: number[], step: number) => number;

export interface Interleaver {
	/** Awaited before each gated call; a no-op outside `run` and for callers that are not contenders. */
	gate(label: string): Promise<void>;
	/** Runs the tasks as contenders 0..n-1 until all settle; `trace` lists the gated calls in the order they ran. */
	run<T>(tasks: (() => Promise<T>)[], choose: Chooser): Promise<{ results: Settled<T>[]; trace: string[] }>;
}

export function createInterleaver(): Interleaver {
	const contender = new AsyncLocalStorage<number>();
	const waiting = new Map<number, { label: string; go: () => void }>();
	let active = false;

	return {
		async gate(label) {
			const id = contender.getStore();
			if (!active || id === undefined) return;
			await new Promise<void>((go) => waiting.set(id, { label, go }));
		},
		async run(tasks, choose) {
			active = true;
			const done = new Set<number>();
			const trace: string[] = [];
			const settled = tasks.map((task, id) =>
				contender
					.run(id, task)
					.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }))
					.finally(() => done.add(id)),
			);
			// Every contender that has not settled must be parked at a gate before the next one is let go.
			const quiet = async () => {
				const deadline = Date.now() + 10_000;
				while (tasks.some((_, id) => !done.has(id) && !waiting.has(id))) {
					if (Date.now() > deadline) throw new Error('interleave: a contender neither settled nor reached a gate');
					await new Promise((resolve) => setImmediate(resolve));
				}
			};
			try {
				for (let step = 0; ; step++) {
					await quiet();
					if (done.size === tasks.length) break;
					const ready = [...waiting.keys()].sort((a, b) => a - b);
					const wanted = choose(ready, step);
					const chosen = waiting.has(wanted) ? wanted : ready[0];
					const parked = waiting.get(chosen) as { label: string; go: () => void };
					waiting.delete(chosen);
					trace.push(`${chosen}:${parked.label}`);
					parked.go();
				}
				return { results: await Promise.all(settled), trace };
			} finally {
				active = false;
			}
		},
	};
}

/** A seeded chooser (mulberry32), so a failing seed replays the same interleaving. */
export function seededChooser(seed: number): Chooser {
	let state = seed >>> 0;
	const random = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
	return (ready) => ready[Math.floor(random() * ready.length)];
}

/** Follows a script of contender ids (one per step), then lets the lowest waiting id go first. */
export function scriptedChooser(script: number[]): Chooser {
	return (ready, step) => (step < script.length && ready.includes(script[step]) ? script[step] : ready[0]);
}
