// @ts-check
'use strict';
/**
 * Installs (once) and locates the runtime real n8n needs here: Node 24 and n8n 2.40.7, cached outside the repo.
 * Plain CommonJS so it runs on the system Node 20 before anything is compiled.
 *
 *   const { ensureRuntime } = require('./scripts/n8n/runtime');
 *   const { nodeBin, n8nBin, n8nDir, cacheDir } = await ensureRuntime({ log: console.log });
 *
 * Cold: ~5 min (npm downloads ~2.8 GB of node_modules, then builds sqlite3 for Node 24). Warm: a marker-file check.
 * Concurrent callers (e.g. `npm start` and `npm test`) serialise on an O_EXCL lock file with stale detection.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { runStreaming } = require('./child');
const { acquireLock } = require('./lock');
const { seconds, readJson, countEntries } = require('./util');

const NODE_MAJOR = 24;
const N8N_VERSION = '2.40.7';
// linkedom 0.18.14+ depends on `cssomnom`, which the registry here lacks.
const OVERRIDES = { linkedom: '0.18.13' };
const MARKER_FORMAT = 1;

/** @typedef {(message: string) => void} Log */
/**
 * @typedef {object} Runtime
 * @property {string} nodeBin  absolute path of the Node 24 executable
 * @property {string} n8nBin   absolute path of n8n's bin script (run it as `nodeBin n8nBin start`)
 * @property {string} n8nDir   the npm project that holds n8n (`<cacheDir>/n8n-<version>`)
 * @property {string} cacheDir the cache root
 * @property {string} nodeVersion e.g. v24.11.1
 * @property {string} n8nVersion  e.g. 2.40.7
 */

/** @returns {string} */
function defaultCacheDir() {
	if (process.env.Q2C_CACHE_DIR) return process.env.Q2C_CACHE_DIR;
	const base = process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache');
	return join(base, 'n8n-nodes-quote-to-cash');
}

/** @param {string} cacheDir */
function layout(cacheDir) {
	const nodePackage = `node-${process.platform}-${process.arch}`;
	const nodePrefix = join(cacheDir, `node${NODE_MAJOR}`);
	const nodeHome = join(nodePrefix, 'node_modules', nodePackage);
	const n8nDir = join(cacheDir, `n8n-${N8N_VERSION}`);
	return {
		nodePackage,
		nodePrefix,
		nodeHome,
		nodeBin: join(nodeHome, 'bin', 'node'),
		n8nDir,
		n8nBin: join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: join(cacheDir, 'runtime.json'),
		lock: join(cacheDir, '.install.lock'),
	};
}

/** @param {string} nodeBin @returns {string | undefined} */
function nodeVersionOf(nodeBin) {
	if (!fs.existsSync(nodeBin)) return undefined;
	const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * The environment every npm/n8n child gets: Node 24 first on PATH, native builds against Node 24's headers.
 * @param {ReturnType<typeof layout>} paths @returns {NodeJS.ProcessEnv}
 */
function node24Env(paths) {
	/** @type {NodeJS.ProcessEnv} */
	const inherited = {};
	for (const [key, value] of Object.entries(process.env)) {
		// Under `npm start`/`npm test` npm exports its own run-script state (npm_execpath, npm_package_*, the
		// outer project's prefix, loglevel=silent, node-gyp of Node 20's npm); none of it may steer our installs.
		// ignore_scripts too: the project's .npmrc sets it, and it would turn `npm rebuild sqlite3` into a no-op.
		if (/^npm_(?!config_)|^npm_config_(local_prefix|prefix|global_prefix|loglevel|node_gyp|nodedir|ignore_scripts)$/i.test(key)) continue;
		inherited[key] = value;
	}
	return {
		...inherited,
		PATH: `${join(paths.nodeHome, 'bin')}:${process.env.PATH || ''}`,
		// A user/machine npmrc may point nodedir at the system Node's headers; sqlite3 must build for Node 24.
		npm_config_nodedir: paths.nodeHome,
		npm_config_update_notifier: 'false',
	};
}

/** @param {ReturnType<typeof layout>} paths @param {string} cacheDir @returns {Runtime | undefined} */
function warmRuntime(paths, cacheDir) {
	const marker = readJson(paths.marker);
	if (!marker || marker.format !== MARKER_FORMAT || marker.n8nVersion !== N8N_VERSION) return undefined;
	if (!String(marker.nodeVersion).startsWith(`v${NODE_MAJOR}.`)) return undefined;
	if (!fs.existsSync(paths.nodeBin) || !fs.existsSync(paths.n8nBin)) return undefined;
	return {
		nodeBin: paths.nodeBin,
		n8nBin: paths.n8nBin,
		n8nDir: paths.n8nDir,
		cacheDir,
		nodeVersion: marker.nodeVersion,
		n8nVersion: marker.n8nVersion,
	};
}

/**
 * @param {string} title @param {Log} log @param {() => Promise<void>} body
 */
async function step(title, log, body) {
	const started = Date.now();
	log(`› ${title}…`);
	await body();
	log(`✓ ${title} (${seconds(started)})`);
}

/** @param {ReturnType<typeof layout>} paths @param {Log} log @returns {Promise<string>} */
async function installNode(paths, log) {
	const existing = nodeVersionOf(paths.nodeBin);
	if (existing && existing.startsWith(`v${NODE_MAJOR}.`)) {
		log(`  Node ${existing} already in the cache`);
		return existing;
	}
	fs.mkdirSync(paths.nodePrefix, { recursive: true });
	const manifest = join(paths.nodePrefix, 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, `${JSON.stringify({ private: true }, null, '\t')}\n`);
	await runStreaming(
		'npm',
		['install', '--prefix', paths.nodePrefix, `${paths.nodePackage}@${NODE_MAJOR}`, '--ignore-scripts', '--no-audit', '--no-fund'],
		{ cwd: paths.nodePrefix, env: node24Env(paths), log },
	);
	const version = nodeVersionOf(paths.nodeBin);
	if (!version || !version.startsWith(`v${NODE_MAJOR}.`)) {
		throw new Error(`expected Node ${NODE_MAJOR} at ${paths.nodeBin}, got ${version ?? 'nothing runnable'}`);
	}
	return version;
}

/** npm prints a line per registry request; this long without one means a stuck connection, not a slow download. */
const INSTALL_STALL_MS = 4 * 60_000;
const INSTALL_ATTEMPTS = 3;

/** @param {ReturnType<typeof layout>} paths @param {Log} log */
async function installN8n(paths, log) {
	fs.mkdirSync(paths.n8nDir, { recursive: true });
	const manifest = {
		name: 'q2c-n8n-runtime',
		private: true,
		description: 'n8n for the n8n-nodes-quote-to-cash end-to-end tests (generated; safe to delete)',
		dependencies: { n8n: N8N_VERSION },
		overrides: OVERRIDES,
	};
	fs.writeFileSync(join(paths.n8nDir, 'package.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	const modules = join(paths.n8nDir, 'node_modules');
	// --ignore-scripts: the Kafka node's native build downloads zlib from the internet and fails here.
	// A registry connection can go quiet for good; npm then waits far past its own timeouts. Such an install is
	// stopped and started again (what it downloaded stays in npm's cache).
	for (let attempt = 1; ; attempt++) {
		try {
			await runStreaming('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http', '--fetch-timeout=120000', '--fetch-retries=4'], {
				cwd: paths.n8nDir,
				env: node24Env(paths),
				log,
				progress: () => `${countEntries(modules)} packages unpacked`,
				stallMs: INSTALL_STALL_MS,
			});
			break;
		} catch (error) {
			if (!(/** @type {any} */ (error).stalled) || attempt >= INSTALL_ATTEMPTS) throw error;
			log(`    npm install stalled; attempt ${attempt + 1} of ${INSTALL_ATTEMPTS}`);
		}
	}
	const installed = readJson(join(modules, 'n8n', 'package.json'));
	if (!installed || installed.version !== N8N_VERSION) {
		throw new Error(`n8n ${N8N_VERSION} not found in ${modules} after npm install`);
	}
}

/** @param {ReturnType<typeof layout>} paths */
function sqliteLoads(paths) {
	const probe =
		"const s=require('sqlite3');const db=new s.Database(':memory:');" +
		"db.get('select 1 as one',(e,r)=>{if(e||r.one!==1)process.exit(1);db.close();});";
	const result = spawnSync(paths.nodeBin, ['-e', probe], { cwd: paths.n8nDir, encoding: 'utf8' });
	return result.status === 0;
}

/** @param {ReturnType<typeof layout>} paths @param {Log} log */
async function buildSqlite(paths, log) {
	if (sqliteLoads(paths)) {
		log('  sqlite3 already loads on Node 24');
		return;
	}
	await runStreaming('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--no-audit', '--no-fund'], {
		cwd: paths.n8nDir,
		// JOBS: node-gyp compiles on every core (the sqlite amalgamation is most of the ~1.5 min).
		env: { ...node24Env(paths), JOBS: 'max' },
		log,
	});
	if (!sqliteLoads(paths)) throw new Error('sqlite3 was rebuilt but does not load on Node 24');
}

/**
 * Makes sure Node 24 and n8n are installed in the cache, and returns where they are.
 * @param {{ log?: Log, cacheDir?: string }} [options]
 * @returns {Promise<Runtime>}
 */
async function ensureRuntime({ log = console.log, cacheDir = defaultCacheDir() } = {}) {
	const paths = layout(cacheDir);
	const warm = warmRuntime(paths, cacheDir);
	if (warm) return warm;

	fs.mkdirSync(cacheDir, { recursive: true });
	const started = Date.now();
	log(`› Preparing n8n ${N8N_VERSION} on Node ${NODE_MAJOR} in ${cacheDir} (a first install takes about 5 minutes)`);
	const release = await acquireLock(paths.lock, log);
	try {
		const finishedMeanwhile = warmRuntime(paths, cacheDir);
		if (finishedMeanwhile) {
			log('✓ Another run finished the install');
			return finishedMeanwhile;
		}
		fs.rmSync(paths.marker, { force: true });
		/** @type {string} */
		let nodeVersion = '';
		await step(`Node ${NODE_MAJOR} (npm ${paths.nodePackage}@${NODE_MAJOR})`, log, async () => {
			nodeVersion = await installNode(paths, log);
			log(`  ${paths.nodeBin} → ${nodeVersion}`);
		});
		await step(`n8n ${N8N_VERSION} (npm install --ignore-scripts, ~2.8 GB)`, log, () => installN8n(paths, log));
		await step('sqlite3 native module for Node 24 (npm rebuild sqlite3, builds from source)', log, () =>
			buildSqlite(paths, log),
		);
		const marker = {
			format: MARKER_FORMAT,
			nodeVersion,
			n8nVersion: N8N_VERSION,
			overrides: OVERRIDES,
			completedAt: new Date().toISOString(),
		};
		fs.writeFileSync(paths.marker, `${JSON.stringify(marker, null, '\t')}\n`);
		log(`✓ n8n runtime ready in ${seconds(started)}`);
		const ready = warmRuntime(paths, cacheDir);
		if (!ready) throw new Error(`runtime marker written but ${paths.nodeBin} or ${paths.n8nBin} is missing`);
		return ready;
	} finally {
		release();
	}
}

module.exports = {
	ensureRuntime,
	defaultCacheDir,
	/** @param {string} cacheDir the environment for npm/n8n children: Node 24 first on PATH */
	node24Env: (cacheDir) => node24Env(layout(cacheDir)),
	N8N_VERSION,
	NODE_MAJOR,
};

if (require.main === module) {
	ensureRuntime().then(
		(runtime) => console.log(JSON.stringify(runtime, null, 2)),
		(error) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		},
	);
}
