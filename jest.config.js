/** Unit and in-process workflow tests. The end-to-end suite (real n8n) has its own runner. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/connectors', '<rootDir>/nodes', '<rootDir>/credentials', '<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/e2e/', '<rootDir>/test/package/'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	collectCoverageFrom: ['connectors/**/*.ts', '!connectors/**/*.test.ts', '!connectors/**/index.ts'],
	coverageThreshold: { './connectors/': { lines: 90 } },
	coverageReporters: ['text-summary', 'json-summary'],
	setupFilesAfterEnv: ['<rootDir>/test/setup/nock.ts'],
	testTimeout: 60000,
};
