/** Checks the packed tarball; runs after `npm run build` (see scripts/test.js). */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/package/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	testTimeout: 120000,
};
