// @ts-check
'use strict';
/** Small shared helpers for the scripts/n8n modules (plain CommonJS for the system Node 20). */
const fs = require('node:fs');

/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Elapsed time since `started` as "12.3 s". @param {number} started */
const seconds = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** @param {string} file @returns {any} the parsed JSON, or undefined when missing or unparsable */
function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** @param {number} pid a pid, or a negative process-group id */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/** @param {string} dir */
function countEntries(dir) {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return 0;
	}
}

module.exports = { sleep, seconds, readJson, isAlive, countEntries };
