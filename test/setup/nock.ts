/**
 * Each test file that uses nock patches node:http again; without a restore, a later file in the same
 * jest worker sees socket errors twice. Restore after every file so files stay independent.
 */
import nock from 'nock';

afterAll(() => {
	nock.cleanAll();
	nock.restore();
});
