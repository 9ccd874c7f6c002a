/**
 * Runs last: with the vendor-spec layer on (Q2C_VENDOR_SPECS), every request the whole e2e run sent to a fake
 * whose vendor publishes a spec was also validated against that spec. This proves the layer saw the traffic and
 * rejected none of it; any rejection would also have failed the scenario that sent it.
 */
import { describeWithVendorSpecs } from '../../support/vendorSpecs';
import { e2e } from '../support/context';

// The fakes with a published spec behind them, and the traffic the scenarios above are sure to send to each.
const SPECS_WITH_TRAFFIC = ['stripe', 'docusign', 'vendastaPlatform'];

export function vendorSpecLayer(): void {
	describeWithVendorSpecs('vendor-spec layer over the whole e2e run', () => {
		it("validated the run's traffic to Stripe, DocuSign and Vendasta against their published specs, rejecting nothing", () => {
			const report = e2e().sb.specLayer();
			expect(report.on).toBe(true);
			for (const spec of SPECS_WITH_TRAFFIC) expect(report.stats[spec]?.checked ?? 0).toBeGreaterThan(0);
			const rejected = Object.entries(report.stats).filter(([, stats]) => stats.rejected > 0);
			expect(rejected).toEqual([]);
			console.log(`vendor-spec layer: ${Object.entries(report.stats).map(([spec, s]) => `${spec} ${s.checked} checked, ${s.rejected} rejected`).join('; ')}`);
		});
	});
}
