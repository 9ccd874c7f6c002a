/** Child processes for the cross-process cases (see child.js): start together, collect one result each, or kill one mid-append. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(__dirname, 'child.js');

interface Child {
	process: ChildProcess;
	lines: string[];
	waitFor(line: (text: string) => boolean): Promise<string>;
}

function startChild(job: object): Child {
	const child = spawn(process.execPath, [CHILD, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'inherit'] });
	const lines: string[] = [];
	const waiters: Array<{ match: (text: string) => boolean; resolve: (text: string) => void }> = [];
	let buffer = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		buffer += chunk.toString();
		let end: number;
		while ((end = buffer.indexOf('\n')) !== -1) {
			const line = buffer.slice(0, end);
			buffer = buffer.slice(end + 1);
			lines.push(line);
			for (const waiter of waiters.filter((w) => w.match(line))) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(line);
			}
		}
	});
	const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) after: ${lines.join(' | ')}`))));
	exited.catch(() => undefined);
	return {
		process: child,
		lines,
		waitFor(match) {
			const seen = lines.find(match);
			if (seen !== undefined) return Promise.resolve(seen);
			return Promise.race([new Promise<string>((resolve) => waiters.push({ match, resolve })), exited]);
		},
	};
}

/** Runs one job per child, all released at once after every child is ready; resolves with each child's result. */
export async function runTogether<T>(jobs: object[]): Promise<T[]> {
	const children = jobs.map(startChild);
	try {
		await Promise.all(children.map((child) => child.waitFor((line) => line === 'ready')));
		for (const child of children) child.process.stdin?.write('go\n');
		const lines = await Promise.all(children.map((child) => child.waitFor((line) => line.startsWith('{'))));
		return lines.map((line) => {
			const parsed = JSON.parse(line) as { result?: T; error?: string };
			if (parsed.error !== undefined) throw new Error(`child failed: ${parsed.error}`);
			return parsed.result as T;
		});
	} finally {
		for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
	}
}

/** Starts an append that takes the chain's lock and hangs there, then SIGKILLs that process. */
export async function killMidAppend(job: object): Promise<void> {
	const child = startChild({ ...job, job: 'appendAndHang' });
	try {
		await child.waitFor((line) => line === 'ready');
		child.process.stdin?.write('go\n');
		await child.waitFor((line) => line === 'locked');
	} finally {
		if (child.process.exitCode === null && child.process.signalCode === null) {
			const exited = new Promise((resolve) => child.process.once('exit', resolve));
			child.process.kill('SIGKILL');
			await exited;
		}
	}
}
