import { ConnectorError, validationError, z } from '../../core';
import { JENKINS_VENDOR, JenkinsHttp, type JenkinsConnectionOptions } from './jenkinsHttp';
import { IDEMPOTENCY_VARIABLE, isTerminalStatus, PIPELINE_DESTROY_STEP, PIPELINE_TRIGGER_STEP, type PipelineRun, type PipelineRunner, type PipelineRunState, type PipelineStatus, type TriggerInput } from './types';
import { type ParsedTrigger, parseTriggerInput, withDestroyAction, requireNumericId } from './validate';

export interface JenkinsRunnerOptions extends JenkinsConnectionOptions {
	/** Job name; folders separated by "/" ("provisioning/deploy-stack"). */
	job: string;
	/** What an UNSTABLE build counts as (default failed: provisioning should not carry on half-tested). */
	unstableIs?: 'succeeded' | 'failed';
	/** Recent builds searched for an earlier run with the same key (default 50). */
	lookupLimit?: number;
}

export const JENKINS_RESULT_MAP: Readonly<Record<string, PipelineStatus>> = {
	SUCCESS: 'succeeded',
	UNSTABLE: 'failed',
	FAILURE: 'failed',
	NOT_BUILT: 'failed',
	ABORTED: 'canceled',
};

const parametersOf = (actions: unknown): Record<string, unknown> => {
	const out: Record<string, unknown> = {};
	for (const action of Array.isArray(actions) ? actions : []) {
		const parameters = (action as { parameters?: unknown } | null)?.parameters;
		if (Array.isArray(parameters)) for (const p of parameters) if (p && typeof p.name === 'string') out[p.name] = p.value;
	}
	return out;
};
const queueItemSchema = z.object({ id: z.number().int(), cancelled: z.boolean().nullish(), why: z.string().nullish(), executable: z.object({ number: z.number().int(), url: z.string().nullish() }).passthrough().nullish() }).passthrough();
const queueSchema = z.object({ items: z.array(z.object({ id: z.number().int(), task: z.object({ url: z.string().nullish() }).passthrough().nullish(), actions: z.unknown() }).passthrough()) });
const buildSchema = z.object({ number: z.number().int(), url: z.string().nullish(), building: z.boolean().nullish(), result: z.string().nullish() }).passthrough();
const buildsSchema = z.object({ builds: z.array(z.object({ number: z.number().int(), actions: z.unknown() }).passthrough()).nullish() }).passthrough();

type RunRef = { kind: 'queue' | 'build'; number: string };

/**
 * Jenkins `buildWithParameters`. Run ids are `<job>#queue:<n>` until the build starts, then `<job>#build:<n>`
 * (see `nextId`). Idempotency: the key travels as the Q2C_IDEMPOTENCY_KEY parameter and the queue plus the last
 * `lookupLimit` builds are searched for it first. Jenkins drops parameters a job does not declare, so the job must
 * declare Q2C_IDEMPOTENCY_KEY (and Q2C_BUSINESS_KEY) as string parameters; without them nothing can be found and
 * the caller must keep the returned run id and poll it rather than trigger again.
 */
export class JenkinsPipelineRunner implements PipelineRunner {
	readonly vendor = JENKINS_VENDOR;
	private readonly http: JenkinsHttp;
	private readonly job: string;
	private readonly jobPath: string;
	private readonly results: Record<string, PipelineStatus>;
	private readonly lookupLimit: number;

	constructor(options: JenkinsRunnerOptions) {
		this.job = checkJobName(options.job, 'job');
		this.jobPath = this.job.split('/').map((part) => `/job/${encodeURIComponent(part)}`).join('');
		if (options.unstableIs !== undefined && options.unstableIs !== 'succeeded' && options.unstableIs !== 'failed') throw validationError('unstableIs', '"succeeded" or "failed"', options.unstableIs, JENKINS_VENDOR);
		this.results = { ...JENKINS_RESULT_MAP, UNSTABLE: options.unstableIs ?? 'failed' };
		const limit = options.lookupLimit ?? 50;
		if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validationError('lookupLimit', 'a whole number from 1 to 500', limit, JENKINS_VENDOR);
		this.lookupLimit = limit;
		this.http = new JenkinsHttp(options);
	}

	async trigger(input: TriggerInput): Promise<PipelineRun> {
		return this.start(parseTriggerInput(input, PIPELINE_TRIGGER_STEP, JENKINS_VENDOR));
	}

	/** Rollback: the same pipeline with Q2C_ACTION=destroy, under the destroy step's key (a repeat finds the destroy run). */
	async destroy(input: TriggerInput): Promise<PipelineRun> {
		return this.start(parseTriggerInput(withDestroyAction(input, JENKINS_VENDOR), PIPELINE_DESTROY_STEP, JENKINS_VENDOR));
	}

	private async start(parsed: ParsedTrigger): Promise<PipelineRun> {
		const common = { businessKey: parsed.businessKey, idempotencyKey: parsed.idempotencyKey };
		const existing = await this.findByKey(parsed.idempotencyKey);
		if (existing) return { ...(await this.get(this.runId(existing))), ...common, reused: true };
		// Not retried inside the call: a lost answer may have queued a build, which a repeat then finds by key.
		const answer = await this.http.post(`${this.jobPath}/buildWithParameters`, new URLSearchParams(parsed.variables));
		const queueNumber = /\/queue\/item\/(\d+)\/?$/.exec(answer.location ?? '')?.[1];
		if (!queueNumber) throw new ConnectorError('permanent', `Jenkins accepted the build of ${this.job} but gave no queue item location`, { vendor: JENKINS_VENDOR, status: answer.status });
		const id = this.runId({ kind: 'queue', number: queueNumber });
		return { id, status: 'queued', rawStatus: 'QUEUED', url: answer.location ?? null, terminal: false, ...common, reused: false };
	}

	async get(id: string): Promise<PipelineRunState> {
		const ref = this.parseRunId(id);
		if (ref.kind === 'build') return this.buildState(ref.number);
		const item = await this.http.get(`/queue/item/${ref.number}/api/json`, queueItemSchema);
		if (item.executable) {
			const state = await this.buildState(String(item.executable.number));
			return { ...state, id, nextId: state.id };
		}
		if (item.cancelled) return { id, status: 'canceled', rawStatus: 'CANCELLED', url: null, terminal: true };
		return { id, status: 'queued', rawStatus: 'QUEUED', url: null, terminal: false };
	}

	async cancel(id: string): Promise<PipelineRunState> {
		const ref = this.parseRunId(id);
		let buildNumber = ref.kind === 'build' ? ref.number : undefined;
		if (ref.kind === 'queue') {
			const item = await this.http.get(`/queue/item/${ref.number}/api/json`, queueItemSchema);
			if (item.executable) buildNumber = String(item.executable.number);
			else if (!item.cancelled) await this.http.post(`/queue/cancelItem?id=${ref.number}`, undefined, { repeatable: true });
		}
		if (buildNumber !== undefined) await this.http.post(`${this.jobPath}/${buildNumber}/stop`, undefined, { repeatable: true });
		return this.get(id);
	}

	/** A queued item or recent build of this job whose Q2C_IDEMPOTENCY_KEY parameter equals `key`. */
	async findByKey(key: string): Promise<RunRef | undefined> {
		const queue = await this.http.get('/queue/api/json', queueSchema, { tree: 'items[id,task[url],actions[parameters[name,value]]]' });
		for (const item of queue.items) {
			const taskPath = item.task?.url ? safePath(item.task.url) : '';
			if (taskPath.endsWith(`${this.jobPath}/`) && parametersOf(item.actions)[IDEMPOTENCY_VARIABLE] === key) return { kind: 'queue', number: String(item.id) };
		}
		const job = await this.http.get(`${this.jobPath}/api/json`, buildsSchema, { tree: `builds[number,actions[parameters[name,value]]]{0,${this.lookupLimit}}` });
		const build = (job.builds ?? []).find((b) => parametersOf(b.actions)[IDEMPOTENCY_VARIABLE] === key);
		return build ? { kind: 'build', number: String(build.number) } : undefined;
	}

	private async buildState(number: string): Promise<PipelineRunState> {
		const build = await this.http.get(`${this.jobPath}/${number}/api/json`, buildSchema, { tree: 'number,url,building,result' });
		const id = this.runId({ kind: 'build', number: String(build.number) });
		if (build.building || !build.result) return { id, status: 'running', rawStatus: 'BUILDING', url: build.url ?? null, terminal: false };
		const status = Object.prototype.hasOwnProperty.call(this.results, build.result) ? this.results[build.result] : 'running';
		return { id, status, rawStatus: build.result, url: build.url ?? null, terminal: isTerminalStatus(status) };
	}

	private runId(ref: RunRef): string {
		return `${this.job}#${ref.kind}:${ref.number}`;
	}

	private parseRunId(id: unknown): RunRef {
		const match = typeof id === 'string' ? /^(.+)#(queue|build):(\d+)$/.exec(id) : null;
		if (!match) throw validationError('id', 'a Jenkins run id such as "deploy#queue:12" or "deploy#build:7"', id, JENKINS_VENDOR);
		if (match[1] !== this.job) throw validationError('id', `a run of job "${this.job}"`, id, JENKINS_VENDOR);
		return { kind: match[2] as RunRef['kind'], number: requireNumericId(match[3], 'id', JENKINS_VENDOR) };
	}
}

function checkJobName(value: unknown, field: string): string {
	const parts = typeof value === 'string' ? value.trim().split('/') : [];
	if (parts.length === 0 || parts.some((part) => part === '' || part === '.' || part === '..' || /[#?%\\\u0000-\u001f]/.test(part))) {
		throw validationError(field, 'a Jenkins job name, folders separated by "/" (e.g. "provisioning/deploy-stack")', value, JENKINS_VENDOR);
	}
	return parts.join('/');
}

function safePath(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}
