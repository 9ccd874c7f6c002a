/**
 * Suites that need the vendors' published specs (the optional layer, Q2C_VENDOR_SPECS) use this instead of
 * `describe`: with the layer off they are reported as skipped, with the reason in their name, never as passed.
 */
const { specLayerStatus, loadVendorSpec, vendorSpecFile } = require('../../sandbox/core/vendorSpecs');

export const specLayer: { on: boolean; dir: string | null; reason: string } = specLayerStatus();

export function describeWithVendorSpecs(name: string, body: () => void): void {
	if (specLayer.on) describe(name, body);
	else describe.skip(`${name} [skipped: ${specLayer.reason}]`, body);
}

export { loadVendorSpec, vendorSpecFile };
