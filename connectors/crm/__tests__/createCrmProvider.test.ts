import { ConnectorError } from '../../core';
import { createCrmProvider, HubspotCrm, SalesforceCrm } from '..';

describe('createCrmProvider', () => {
	it('builds the Salesforce connector for provider salesforce', () => {
		const crm = createCrmProvider({
			provider: 'salesforce',
			salesforce: { auth: 'refreshToken', loginUrl: 'https://test.salesforce.com', clientId: 'cid', clientSecret: 'factory-client-value', refreshToken: 'factory-refresh-value', apiVersion: '62.0' },
		});
		expect(crm).toBeInstanceOf(SalesforceCrm);
		expect(crm.name).toBe('salesforce');
	});

	it('builds the HubSpot connector for provider hubspot', () => {
		const crm = createCrmProvider({ provider: 'hubspot', hubspot: { auth: 'privateApp', accessToken: 'pat-factory-value', basePath: 'http://127.0.0.1:1' } });
		expect(crm).toBeInstanceOf(HubspotCrm);
		expect(crm.name).toBe('hubspot');
	});

	it('passes the config through: the vendor connector validates it', () => {
		expect(() =>
			createCrmProvider({ provider: 'salesforce', salesforce: { auth: 'refreshToken', loginUrl: 'https://login.salesforce.com', clientId: 'cid', refreshToken: 'r-value', apiVersion: '62' } }),
		).toThrow(ConnectorError);
	});

	it('refuses an unknown provider', () => {
		expect(() => createCrmProvider({ provider: 'pipedrive' } as never)).toThrow('Unknown CRM provider "pipedrive"');
	});
});
