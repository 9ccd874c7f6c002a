/**
 * One execution, several contracts: a HubSpot webhook carries two won deals, and the run fails after both
 * envelopes went out. In real n8n the error workflow undoes each contract on its own chain and sends one alert.
 */
import { deliver, e2e, mark, waitForNew } from '../support/context';

export function batchCompensation(): void {
	describe('one failed execution, two contracts', () => {
		it('each envelope is voided and recorded on its own contract\'s chain, and ops get one alert for both', async () => {
			const { sb, ids, ledger, quoteToCashUrls } = e2e();
			const marker = await mark();
			const deals = [sb.seedWonDeal('hubspot'), sb.seedWonDeal('hubspot')];
			// Writing the envelope id back to the deal fails once, after both envelopes were sent. (Only once: the
			// voids then reach the workflow as Connect events, and their not-signed branch writes to the deal too.)
			sb.addFault('hubspot', { route: 'PATCH /crm/v3/objects/{type}/{id}', times: 1, fault: { status: 400 } });
			const hubspot = (sb.crm as unknown as { hubspot: { webhookDelivery(url: string, dealIds: string[]): { headers: Record<string, string>; rawBody: string } } }).hubspot;
			const message = hubspot.webhookDelivery(quoteToCashUrls.hubspotDealWon, deals.map((deal) => deal.dealId));
			expect((await deliver(message, quoteToCashUrls.hubspotDealWon)).status).toBe(200);

			const runs = await waitForNew(marker, ids.quoteToCashHubspot);
			expect(runs.filter((run) => run.status === 'error')).toHaveLength(1);
			const [handler, ...more] = await waitForNew(marker, ids.errors, { settleMs: 1000 });
			expect(handler.status).toBe('success');
			expect(more).toEqual([]);

			for (const deal of deals) {
				expect(sb.envelopesFor(deal.businessKey).map((envelope) => envelope.status)).toEqual(['voided']);
				const written = (await ledger.list(deal.businessKey)).filter((receipt) => receipt.execution_id === handler.id);
				expect(written.map((receipt) => [receipt.workflow_step, receipt.business_key])).toEqual([
					['compensation.docusign.envelope.void', deal.businessKey],
					['exception', deal.businessKey],
				]);
				expect((await ledger.verify(deal.businessKey)).valid).toBe(true);
			}
			const mails = await sb.mail.waitFor(1, 10_000);
			const alerts = mails.filter((mail) => mail.subject.startsWith('Provisioning failed'));
			expect(alerts.map((mail) => mail.subject)).toEqual([`Provisioning failed for 2 contracts: ${deals.map((deal) => deal.businessKey).join(', ')}`]);
		});
	});
}
