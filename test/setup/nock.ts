/**
 * Each test file gets its own nock (jest's module registry), and each one patches the shared node:http on import.
 * Two live patches make a mocked socket error fire twice, and the second has no listener ("Unhandled error").
 * So every file restores its nock after its tests, and, because jest runs no afterAll in a file whose tests are
 * all skipped (the vendor-spec suites with the layer off), the next file also undoes a patch left behind.
 */
import http from 'node:http';
import nock from 'nock';

type NockModule = typeof nock;
const holder = http as unknown as { q2cLiveNock?: NockModule };

const left = holder.q2cLiveNock;
if (left && left !== nock) {
	// Undo in reverse order of patching: ours was applied on top of the one left behind.
	nock.restore();
	left.restore();
	nock.activate();
}
holder.q2cLiveNock = nock;

afterAll(() => {
	nock.cleanAll();
	nock.restore();
	if (holder.q2cLiveNock === nock) delete holder.q2cLiveNock;
});
