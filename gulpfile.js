// Copies static assets (node/credential icons, codex files, bundled configuration and OpenAPI documents)
// next to the compiled JavaScript in dist/. tsc only emits .js/.d.ts, so this is the one place assets move.
const { src, dest, task } = require('gulp');

const ASSET_GLOBS = [
	'nodes/**/*.{svg,png,json}',
	'credentials/**/*.{svg,png}',
	'connectors/**/*.{json,yaml,sql,rego,md}',
];

task('build:assets', () => src(ASSET_GLOBS, { base: '.', encoding: false }).pipe(dest('dist')));
