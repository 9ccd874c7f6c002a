// @ts-check
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/**
 * The optional vendor-spec layer. Every fake validates its traffic against its own schemas (written from the
 * vendor's documentation, in the fake's `api.js`); with `Q2C_VENDOR_SPECS=<dir>` set, requests are also
 * validated against the vendor's published spec, and the conformance suites compare the two. The spec files are
 * never part of this repository: the table says where each one comes from and pins its content by SHA-256.
 */

/**
 * @typedef {{ file: string, vendor: string, source: string, commit: string, sha256: string }} VendorSpecSource
 */

/** @type {Record<string, VendorSpecSource>} */
const VENDOR_SPECS = {
	stripe: {
		file: 'stripe-openapi-v1-2023-08-16.yaml',
		vendor: 'Stripe API v1 (2023-08-16), OpenAPI 3',
		source: 'github.com/stripe/openapi, openapi/spec3.yaml',
		commit: '63a6746',
		sha256: 'eed9ac08a03a5374caa994362bfa080ae87ee75f0a3dc76f9d48b19c705b50bb',
	},
	docusign: {
		file: 'docusign-esignature-v2.swagger.json',
		vendor: 'DocuSign eSignature REST API, Swagger 2.0',
		source: 'github.com/docusign/OpenAPI-Specifications, esignature.rest.swagger.json',
		commit: 'the revision whose SHA-256 is pinned here',
		sha256: 'd755497b4d15e6113c3dd1b2b76da70a0c5f7c6ebb7543208507a1a6179c5352',
	},
	docusignConnectSample: {
		file: 'docusign-connect-payload-sample-v2.json',
		vendor: 'DocuSign Connect JSON (SIM) payload samples',
		source: 'github.com/docusign/OpenAPI-Specifications (Connect samples)',
		commit: 'the revision whose SHA-256 is pinned here',
		sha256: '4bd0994b6f8272db10af38c8235be296deaf4d74ad0c6f9174a9fe3ef8fa41f6',
	},
	vendastaPlatform: {
		file: 'vendasta-platform-api.yaml',
		vendor: 'Vendasta Platform API (JSON:API), OpenAPI 3',
		source: 'github.com/vendasta/api-gateway-docs, openapi/platform/platform.yaml',
		commit: 'the revision whose SHA-256 is pinned here',
		sha256: '0c485c309ea12bd1b5fb749a9e14d5bb3ddaa57e2d77beae8d96b766e09ce27b',
	},
	vendastaMarketplace: {
		file: 'vendasta-marketplace-api.yaml',
		vendor: 'Vendasta Marketplace vendor API, OpenAPI 3',
		source: 'github.com/vendasta/marketplace-documentation, reference/marketplace-api.yaml',
		commit: 'the revision whose SHA-256 is pinned here',
		sha256: '76c57d21994a4b7590efc2d061bfa3112d19ae260eaad590b8f70d177be78f46',
	},
	terraform: {
		file: 'hcp-terraform-openapi-v2.json',
		vendor: 'HCP Terraform/Terraform Enterprise API v2-Beta (info.version 9cfc1aef), OpenAPI 3.0',
		source: 'github.com/hashicorp/go-tfe, v2/openapi/spec.json',
		commit: '0fa6b09',
		sha256: 'ce142a02859559a8d5feaad766d1359de7a84993b254a616a18d9d934af321cb',
	},
};

const ENV = 'Q2C_VENDOR_SPECS';
const OFF_REASON = `vendor spec layer off: set ${ENV}=<folder with the vendors' published specs> (README, "Vendor specs")`;

/** The folder named by Q2C_VENDOR_SPECS, or null when the layer is off. */
function vendorSpecDir() {
	const dir = process.env[ENV];
	return dir && dir.trim() ? path.resolve(dir.trim()) : null;
}

/** @returns {{ on: boolean, dir: string | null, reason: string }} */
function specLayerStatus() {
	const dir = vendorSpecDir();
	return dir ? { on: true, dir, reason: `vendor spec layer on: ${dir}` } : { on: false, dir: null, reason: OFF_REASON };
}

/**
 * Path of one pinned spec file, checked: present and with the pinned SHA-256 (the conformance suites agreed with
 * that content; another revision must be reviewed first). Null when the layer is off.
 * @param {keyof typeof VENDOR_SPECS | string} key
 */
function vendorSpecFile(key) {
	const dir = vendorSpecDir();
	if (!dir) return null;
	const source = VENDOR_SPECS[key];
	if (!source) throw new Error(`Unknown vendor spec "${key}"; known: ${Object.keys(VENDOR_SPECS).join(', ')}`);
	const file = path.join(dir, source.file);
	if (!fs.existsSync(file)) throw new Error(`${ENV}=${dir} has no ${source.file} (${source.vendor}, from ${source.source})`);
	const sha256 = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
	if (sha256 !== source.sha256) {
		throw new Error(`${file} has SHA-256 ${sha256}, not the pinned ${source.sha256} (${source.vendor}): update the pin in sandbox/core/vendorSpecs.js after running the conformance suites against it`);
	}
	return file;
}

/** @type {Map<string, any>} */
const loaded = new Map();

/**
 * The vendor's spec, parsed (and converted by `convert`, once per process), or null when the layer is off.
 * @param {string} key
 * @param {(file: string) => any} parse
 */
function loadVendorSpec(key, parse) {
	const file = vendorSpecFile(key);
	if (!file) return null;
	if (!loaded.has(key)) loaded.set(key, parse(file));
	return loaded.get(key);
}

/** What the layer checked, per spec, in this process: evidence that traffic was validated, and against what. */
/** @type {Record<string, { checked: number, rejected: number, problems: string[] }>} */
const stats = {};

/**
 * Record one vendor-spec check of a request.
 * @param {string} key
 * @param {string | null} problem the first problem, or null when the request conforms
 */
function recordCheck(key, problem) {
	const entry = (stats[key] = stats[key] || { checked: 0, rejected: 0, problems: [] });
	entry.checked += 1;
	if (problem) {
		entry.rejected += 1;
		if (entry.problems.length < 20) entry.problems.push(problem);
	}
}

function specLayerReport() {
	return { ...specLayerStatus(), stats: JSON.parse(JSON.stringify(stats)) };
}

module.exports = { VENDOR_SPECS, ENV, vendorSpecDir, vendorSpecFile, specLayerStatus, loadVendorSpec, recordCheck, specLayerReport };
