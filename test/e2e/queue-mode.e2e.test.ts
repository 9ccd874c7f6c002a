/**
 * End to end in n8n queue mode (issue 13): the packed pack in a main, a webhook processor and two workers of real
 * n8n 2.40.7, each process with its own user folder, sharing one PostgreSQL database (n8n's and the pack's evidence
 * and dedupe) and one Redis (Bull queue, the pack's rate limits). Skipped, with the reason, where the machine has no
 * PostgreSQL or Redis (Q2C_STACK_POSTGRES_URL / Q2C_STACK_REDIS_URL point elsewhere).
 * The scenarios share the stack in this order; (b) kills a worker and runs last.
 */
import { concurrentDeliveries } from './queue/concurrentDeliveries';
import { queueBackends, queueE2e, startQueueE2e, stopQueueE2e } from './queue/context';
import { manyContracts } from './queue/manyContracts';
import { workerKilled } from './queue/workerKilled';

const backends = queueBackends();
const suite = backends.ok ? describe : describe.skip;
if (!backends.ok) process.stdout.write(`[queue e2e] skipped: ${backends.reason}\n`);

suite(`n8n queue mode: main + webhook processor + 2 workers${backends.ok ? '' : ` [skipped: ${backends.reason}]`}`, () => {
	beforeAll(() => startQueueE2e(), 20 * 60_000);
	afterAll(() => stopQueueE2e(), 120_000);
	beforeEach(() => queueE2e().sb.reset());

	concurrentDeliveries();
	manyContracts();
	workerKilled();
});
