import { NodeOperationError, type INode } from 'n8n-workflow';
import { createDocusignClient, type DocusignClient } from '../../connectors/docusign';
import { brokenStore, executeContext, receiptsIn, recordReceipt, storeIsEmpty, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { Docusign } from './Docusign.node';

// Only the client factory is faked: these tests cover what the node records, not DocuSign.
jest.mock('../../connectors/docusign', () => ({ ...jest.requireActual('../../connectors/docusign'), createDocusignClient: jest.fn() }));

const ENVELOPE = '4b1f0c2e-1111-4a4a-9d9d-123456789abc';
// Test-only value standing in for a PEM; never a real key.
const FAKE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nnot-a-real-key-9f8e7d\n-----END RSA PRIVATE KEY-----';
const credentials = { environment: 'custom', authServer: 'http://127.0.0.1:8443', integrationKey: 'ik-1', userId: 'user-1', privateKey: FAKE_KEY, accountId: '', basePath: ' ' };
const node: INode = { id: '1', name: 'Send Contract', type: 'n8n-nodes-quote-to-cash.docusign', typeVersion: 1, position: [0, 0], parameters: {} };

const client = { createEnvelopeFromTemplate: jest.fn(), voidEnvelope: jest.fn() };
const store = useTempStore();
beforeEach(() => {
	client.createEnvelopeFromTemplate.mockReset().mockResolvedValue({ envelopeId: ENVELOPE, status: 'sent', created: true });
	client.voidEnvelope.mockReset().mockResolvedValue({ envelopeId: ENVELOPE, status: 'voided', changed: true });
	(createDocusignClient as jest.Mock).mockReturnValue(client as unknown as DocusignClient);
});

const create: Params = {
	resource: 'envelope',
	operation: 'createFromTemplate',
	templateId: { __rl: true, mode: 'id', value: '7c9d1e2f-2222-4b4b-8c8c-123456789abc' },
	businessKey: 'ORD-7',
	signers: { signer: [{ roleName: 'Customer', name: 'Ana Lee', email: 'ana@example.com' }] },
};
const voidIt: Params = { resource: 'envelope', operation: 'void', envelopeId: { __rl: true, mode: 'id', value: ENVELOPE }, reason: 'Order cancelled' };
const run = (items: Params[], continueOnFail = false) => new Docusign().execute.call(executeContext(items, { node, credentials, continueOnFail, executionId: '9' }));

describe('DocuSign: Record Receipt', () => {
	it('records the sent envelope and the void with the envelope id, and puts the receipt on the output', async () => {
		const [[sent]] = await run([{ ...create, ...recordReceipt(store.dir) }]);
		const [[voided]] = await run([{ ...voidIt, ...recordReceipt(store.dir) }]);
		const receipts = await receiptsIn(store.dir);
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref, r.business_key, r.execution_id])).toEqual([
			['docusign.envelope.createFromTemplate', ENVELOPE, 'ORD-7', '9'],
			['docusign.envelope.void', ENVELOPE, 'ORD-7', '9'],
		]);
		expect(receipts[0].effect).toEqual({ type: 'docusign.envelope', id: ENVELOPE, envelopeId: ENVELOPE, status: 'sent', created: true });
		expect(receipts[0].subject).toMatchObject({ node: 'Send Contract' });
		expect(sent.json).toMatchObject({ envelopeId: ENVELOPE, receipt: { id: receipts[0].id, sha256: receipts[0].sha256, step: 'docusign.envelope.createFromTemplate' } });
		expect(voided.json.receipt).toMatchObject({ id: receipts[1].id });
	});

	it('writes nothing with Record Receipt off', async () => {
		const [[sent]] = await run([{ ...create, receiptOptions: { storePath: store.dir } }]);
		expect(sent.json).not.toHaveProperty('receipt');
		expect(storeIsEmpty(store.dir)).toBe(true);
	});

	it('fails the step naming the envelope when the store fails; Continue On Fail gives an error item with its id', async () => {
		const broken = recordReceipt(brokenStore(store.dir));
		const error = await run([{ ...create, ...broken }]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain(`receipt could not be recorded: docusign.envelope.createFromTemplate of ${ENVELOPE}`);
		const [[item]] = await run([{ ...create, ...broken }], true);
		expect(item.json).toMatchObject({ unrecordedReceipt: { resourceRef: ENVELOPE, step: 'docusign.envelope.createFromTemplate' } });
		expect(client.createEnvelopeFromTemplate).toHaveBeenCalledTimes(2);
	});

	it('offers Record Receipt only on create from template and void', () => {
		const shown = new Docusign().description.properties.filter((p) => p.name === 'recordReceipt').map((p) => p.displayOptions?.show);
		expect(shown).toEqual([{ resource: ['envelope'], operation: ['createFromTemplate', 'void'] }]);
	});
});
