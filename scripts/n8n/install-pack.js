// @ts-check
'use strict';
/**
 * Installs a packed community package into an n8n user folder exactly the way n8n's community-package installer
 * (CommunityPackagesService.downloadPackage in n8n 2.40) does it, minus the registry download.
 */
const fs = require('node:fs');
const { join, resolve } = require('node:path');
const { run } = require('./child');
const { ensureRuntime, node24Env } = require('./runtime');

/** @typedef {import('./runtime').Runtime} Runtime */

/**
 * Installs a packed community package (an `npm pack` tarball) into `<userFolder>/.n8n/nodes` exactly like n8n's
 * community-package installer: extract, strip dev/peer/optional deps, shallow `npm install` without scripts,
 * and record it in the nodes folder's package.json ledger. Node types then load as `<package-name>.<nodeName>`.
 * @param {string} userFolder the N8N_USER_FOLDER of the instance
 * @param {string} tarballPath path of the `.tgz`
 * @param {{ runtime?: Runtime }} [options]
 * @returns {Promise<{ name: string, version: string, directory: string }>}
 */
async function installPack(userFolder, tarballPath, { runtime } = {}) {
	const rt = runtime ?? (await ensureRuntime({ log: () => {} }));
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const staging = join(nodesDir, `.staging-${process.pid}-${Date.now()}`);
	fs.mkdirSync(staging, { recursive: true });
	try {
		await run('tar', ['-xzf', resolve(tarballPath), '-C', staging, '--strip-components=1'], { cwd: nodesDir, env: process.env });
		const manifestPath = join(staging, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
			fs.readFileSync(manifestPath, 'utf8'),
		);
		if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
			throw new Error(`${tarballPath}: package.json needs a name and a version`);
		}
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf8');

		const directory = join(nodesDir, 'node_modules', ...manifest.name.split('/'));
		fs.rmSync(directory, { recursive: true, force: true });
		fs.mkdirSync(join(directory, '..'), { recursive: true });
		fs.renameSync(staging, directory);

		// n8n runs npm from its own process, i.e. on Node 24.
		const npmInstall = ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow'];
		npmInstall.push('--ignore-scripts=true', '--package-lock=false');
		await run('npm', npmInstall, { cwd: directory, env: node24Env(rt.cacheDir) });

		const ledgerPath = join(nodesDir, 'package.json');
		/** @type {{ name: string, private: boolean, dependencies: Record<string, string> }} */
		let ledger = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			const existing = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
			if (existing && typeof existing.dependencies === 'object') ledger = existing;
		} catch {
			// missing or unusable ledger: n8n rebuilds it the same way
		}
		ledger.dependencies[manifest.name] = manifest.version;
		fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
		return { name: manifest.name, version: manifest.version, directory };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

module.exports = { installPack };
