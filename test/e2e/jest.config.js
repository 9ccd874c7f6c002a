/**
 * End-to-end suite: the packed pack inside real n8n 2.40 (Node 24, cached outside the repo) against the sandboxed
 * vendors. One stack for the whole run (test/e2e/quote-to-cash.e2e.test.ts); run it with `--runInBand`.
 */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
	// A cold n8n runtime install happens inside beforeAll (≈5 min once); scenarios wait on real executions.
	testTimeout: 180_000,
	maxWorkers: 1,
	slowTestThreshold: 60,
};
