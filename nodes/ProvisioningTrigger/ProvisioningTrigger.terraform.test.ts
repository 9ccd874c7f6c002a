import { notification, run, sign, terraform, TFE_PREVIOUS, TFE_TOKEN, useDedupeDir, type Call } from './__tests__/webhookContext';

// The real HMAC-SHA512 verification and parsing of the connector run; only n8n's webhook context is faked.
useDedupeDir();

describe('Provisioning Trigger: HCP Terraform notifications', () => {
	it('starts one execution for a signed notification, with the keys from the run message', async () => {
		const { result } = await run(terraform(notification()));
		expect(result.webhookResponse).toEqual({ received: true, deliveryId: 'tfe-run-9-run:completed-applied' });
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.workflowData?.[0][0].json).toEqual({
			source: 'terraform',
			runId: 'run-9',
			status: 'succeeded',
			vendorStatus: 'applied',
			terminal: true,
			businessKey: 'CTR 88',
			idempotencyKey: 'q2c-tf-key-1',
			ref: null,
			url: 'https://app.terraform.io/app/acme/workspaces/tenant/runs/run-9',
			projectId: null,
			workspaceId: 'ws-42',
			trigger: 'run:completed',
			deliveryId: 'tfe-run-9-run:completed-applied',
			receivedAt: expect.any(String),
		});
	});

	it('accepts a notification signed with the previous token', async () => {
		const raw = notification('run:errored', 'errored');
		const { result } = await run(terraform(raw, sign(raw, TFE_PREVIOUS)));
		expect(result.workflowData?.[0][0].json).toMatchObject({ status: 'failed', vendorStatus: 'errored', trigger: 'run:errored' });
	});

	it('answers 401 without an execution for a forged, missing or tampered signature, no token, or no raw body', async () => {
		const raw = notification();
		const attempts: Call[] = [
			terraform(raw, sign(raw, 'some-other-token')),
			terraform(raw, null),
			{ ...terraform(raw.replace('applied', 'errored')), headers: { 'x-tfe-notification-signature': sign(raw) } },
			{ ...terraform(raw), credentials: { notificationToken: '', previousNotificationToken: '' } },
			{ source: 'terraform', body: JSON.parse(raw), headers: { 'x-tfe-notification-signature': sign(raw) } },
		];
		for (const attempt of attempts) {
			const { result, response } = await run(attempt);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response).toMatchObject({ statusCode: 401, body: { error: 'unauthorized' } });
			expect(JSON.stringify(response.body)).not.toContain(TFE_TOKEN);
		}
	});

	it("answers HCP Terraform's verification request 200 without an execution, but only when it is signed", async () => {
		const raw = notification('verification', null);
		const verified = await run(terraform(raw));
		expect(verified.result).toEqual({ webhookResponse: { received: true, verification: true } });
		const forged = await run(terraform(raw, sign(raw, 'some-other-token')));
		expect(forged.response.statusCode).toBe(401);
	});

	it('acknowledges unselected triggers without an execution, and drops a duplicate notification', async () => {
		const planning = await run(terraform(notification('run:planning', 'planning')));
		expect(planning.result).toEqual({ webhookResponse: { received: true, ignored: true, event: 'run:planning' } });
		const first = await run(terraform(notification()));
		const again = await run(terraform(notification()));
		expect(first.result.workflowData).toHaveLength(1);
		expect(again.result).toEqual({ webhookResponse: { received: true, duplicate: true, deliveryId: 'tfe-run-9-run:completed-applied' } });
	});

	it('answers 400 naming the field for a signed but malformed payload, and 413 for an oversized one', async () => {
		const v2 = JSON.stringify({ ...JSON.parse(notification()), payload_version: 2 });
		const malformed = await run(terraform(v2));
		expect(malformed.response).toMatchObject({ statusCode: 400, body: { field: 'body.payload_version' } });
		const huge = JSON.stringify({ ...JSON.parse(notification()), padding: 'x'.repeat(1024 * 1024) });
		const oversized = await run(terraform(huge));
		expect(oversized.result.workflowData).toBeUndefined();
		expect(oversized.response).toMatchObject({ statusCode: 413, body: { limitBytes: 1024 * 1024 } });
	});
});
