import { ConnectorError, sha256Hex } from '../core';
import { leadSchema, normaliseAttributes } from './attributes';
import { createBuiltinEngine } from './builtin';
import { loadProfile } from './config';
import { parseCsv, toCsv } from './csv';
import { normaliseLead, normaliseLeadWithContext, parseLeadCsv } from './leads';

const config = loadProfile('default');

function thrown(fn: () => unknown): ConnectorError {
	try {
		fn();
	} catch (error) {
		return error as ConnectorError;
	}
	throw new Error('expected a throw');
}

describe('normaliseLead', () => {
	it('normalises a flat snake_case form post, which the lead_routing schema and the engine accept', async () => {
		const lead = normaliseLead(
			{ first_name: 'Ana', email: ' Ana@Acme.COM ', company: 'Acme', country: 'United Kingdom', company_size: '1,200', industry: 'Retail', utm_campaign: 'spring', utm_source: 'google', utm_medium: 'cpc' },
			'marketing_form',
		);
		expect(lead).toEqual({
			id: `lead_${sha256Hex('marketing_form\nana@acme.com').slice(0, 32)}`,
			email: 'ana@acme.com',
			email_domain: 'acme.com',
			country: 'GB',
			company_size: 1200,
			industry: 'Retail',
			source: 'marketing_form',
			utm_campaign: 'spring',
		});
		expect(() => leadSchema.parse(lead)).not.toThrow();
		const result = await createBuiltinEngine().evaluate('lead_routing', { lead }, config);
		// The profile requires country and company_size before routing: both arrived normalised.
		expect(result.decision.required_enrichment).toEqual([]);
		expect(result.attributes).toMatchObject({ lead: { country: 'GB', email_domain: 'acme.com' } });
	});

	it('reads camelCase forms and keeps the non-policy fields as context', () => {
		const { lead, context } = normaliseLeadWithContext(
			{ firstName: 'Bo', lastName: 'Li', emailAddress: 'bo@globex.de', companyName: 'Globex', countryCode: 'de', companySize: 80, utmCampaign: 'q3', utmSource: 'linkedin', phone: '+49 30 1234' },
			'marketing_form',
		);
		expect(lead).toMatchObject({ email: 'bo@globex.de', country: 'DE', company_size: 80, utm_campaign: 'q3' });
		expect(context).toEqual({ first_name: 'Bo', last_name: 'Li', company_name: 'Globex', phone: '+49 30 1234', utm_source: 'linkedin', unrecognised: [] });
	});

	it('takes UTM tags from the landing-page URL, explicit fields winning', () => {
		const { lead, context } = normaliseLeadWithContext(
			{ email: 'a@b.io', landing_page: 'https://www.b.io/pricing?utm_source=news&UTM_CAMPAIGN=launch&utm_medium=email', utm_medium: 'newsletter' },
			'marketing_form',
		);
		expect(lead.utm_campaign).toBe('launch');
		expect(context).toMatchObject({ utm_source: 'news', utm_medium: 'newsletter', landing_page: 'https://www.b.io/pricing?utm_source=news&UTM_CAMPAIGN=launch&utm_medium=email' });
		// A relative page or one without tags adds nothing.
		expect(normaliseLead({ email: 'a@b.io', page_url: '/pricing' }, 'marketing_form').utm_campaign).toBeUndefined();
	});

	it('unwraps an n8n Webhook item and reads UTM tags from its query string', () => {
		const lead = normaliseLead({ headers: { host: 'x' }, query: { utm_campaign: 'ads' }, body: { email: 'c@d.com', country: 'USA', state: 'California' } }, 'marketing_form');
		expect(lead).toMatchObject({ email: 'c@d.com', country: 'US', state: 'CA', utm_campaign: 'ads' });
	});

	it('reads a partner payload with nested contact and company', () => {
		const { lead, context } = normaliseLeadWithContext(
			{
				partner: { id: 'p-77', name: 'Reseller Ltd' },
				partner_lead_id: 'PL-1001',
				contact: { email: 'cto@initech.com', first_name: 'Pat', country: 'Ireland' },
				company: { name: 'Initech', domain: 'https://initech.com', employees: '250-500', industry: 'Software', state: 'Dublin' },
			},
			'partner',
		);
		expect(lead).toEqual({ id: 'PL-1001', email: 'cto@initech.com', email_domain: 'initech.com', country: 'IE', state: 'DUBLIN', company_size: 250, industry: 'Software', source: 'partner' });
		expect(context).toMatchObject({ company_name: 'Initech', first_name: 'Pat', partner: 'Reseller Ltd', account_domain: 'initech.com' });
	});

	it('reads a product signal: the account domain stands in for the email domain', () => {
		const { lead, context } = normaliseLeadWithContext({ event: 'workspace.activated', account_id: 'acc-1', account_domain: 'Hooli.com', seats: 40, user_id: 'u-9', id: 'sig-5' }, 'product_signal');
		expect(lead).toEqual({ id: 'sig-5', email_domain: 'hooli.com', source: 'product_signal' });
		expect(context).toMatchObject({ signal: 'workspace.activated', account_domain: 'hooli.com' });
		const withUser = normaliseLead({ account_domain: 'hooli.com', user: { email: 'dev@gmail.com' } }, 'product_signal');
		expect(withUser.email_domain).toBe('gmail.com');
	});

	it('reads HubSpot contact properties (v3 strings and v1 { value } wrappers)', () => {
		const v3 = normaliseLeadWithContext(
			{
				id: '501',
				properties: { email: 'Lee@Umbrella.co.uk', firstname: 'Lee', company: 'Umbrella', country: 'UK', numemployees: '1000+', industry: 'PHARMA', hs_analytics_source: 'PAID_SEARCH', hs_analytics_first_url: 'https://u.co/?utm_campaign=brand' },
			},
			'crm',
		);
		expect(v3.lead).toEqual({ id: '501', email: 'lee@umbrella.co.uk', email_domain: 'umbrella.co.uk', country: 'GB', company_size: 1000, industry: 'PHARMA', source: 'crm', utm_campaign: 'brand' });
		expect(v3.context).toMatchObject({ first_name: 'Lee', company_name: 'Umbrella', lead_source: 'PAID_SEARCH' });
		const v1 = normaliseLead({ vid: 77, properties: { email: { value: 'z@y.com' }, country: { value: 'Germany' } } }, 'crm');
		expect(v1).toMatchObject({ id: '77', email: 'z@y.com', country: 'DE' });
	});

	it('reads Salesforce Lead fields', () => {
		const { lead, context } = normaliseLeadWithContext(
			{ attributes: { type: 'Lead' }, Id: '00Q5g00000AbCdE', Email: 'jo@wayne.com', FirstName: 'Jo', Company: 'Wayne', Country: 'United States', State: 'NY', NumberOfEmployees: 5000, LeadSource: 'Web', Industry: 'Manufacturing', AnnualRevenue: 9000000 },
			'crm',
		);
		expect(lead).toEqual({ id: '00Q5g00000AbCdE', email: 'jo@wayne.com', email_domain: 'wayne.com', country: 'US', state: 'NY', company_size: 5000, industry: 'Manufacturing', source: 'crm' });
		expect(context).toMatchObject({ company_name: 'Wayne', lead_source: 'Web' });
	});

	it('gives a re-delivered lead the same id, and another source a different one', () => {
		const first = normaliseLead({ email: 'Sam@Acme.com' }, 'marketing_form');
		expect(normaliseLead({ email: 'sam@acme.com', first_name: 'Sam' }, 'marketing_form').id).toBe(first.id);
		expect(normaliseLead({ email: 'sam@acme.com' }, 'partner').id).not.toBe(first.id);
		expect(normaliseLead({ email: 'sam@acme.com', id: 42 }, 'marketing_form').id).toBe('42');
	});

	it('passes segment, ARR estimate and spam signals through, a filled honeypot counting as spam', () => {
		expect(normaliseLead({ email: 'a@b.com', segment: 'enterprise', arr_estimate: '$250k', is_spam: 'yes' }, 'marketing_form')).toMatchObject({ segment: 'enterprise', arr_estimate: 250000, is_spam_signal: true });
		expect(normaliseLead({ email: 'a@b.com', spam: false }, 'marketing_form').is_spam_signal).toBe(false);
		expect(normaliseLead({ email: 'a@b.com', _gotcha: 'http://spam' }, 'marketing_form').is_spam_signal).toBe(true);
		expect(normaliseLead({ email: 'a@b.com', arr: 1.2e6 }, 'marketing_form').arr_estimate).toBe(1200000);
		expect(normaliseLead({ email: 'a@b.com', estimated_arr: '1.5M' }, 'marketing_form').arr_estimate).toBe(1500000);
	});

	it('leaves optional values it cannot read out of the lead, listing them instead of guessing', () => {
		const { lead, context } = normaliseLeadWithContext({ email: 'a@b.com', country: 'Narnia', company_size: 'lots', arr: 'tbd', spam: 'maybe', website: 'n/a', industry: '' }, 'marketing_form');
		expect(lead).toEqual({ id: lead.id, email: 'a@b.com', email_domain: 'b.com', source: 'marketing_form' });
		expect(context.unrecognised.map((u) => `${u.field}@${u.path}=${u.value}`)).toEqual([
			'account_domain@website=n/a',
			'country@country=Narnia',
			'company_size@company_size=lots',
			'arr_estimate@arr=tbd',
			'is_spam_signal@spam=maybe',
		]);
		expect(() => normaliseAttributes('lead_routing', { lead }, config)).not.toThrow();
	});

	it('rejects a bad email naming where it was found', () => {
		const error = thrown(() => normaliseLead({ properties: { email: 'not-an-email' } }, 'crm'));
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error.kind).toBe('validation');
		expect(error.message).toContain('properties.email: expected an email address such as "ana@acme.com" (received "not-an-email")');
		expect(thrown(() => normaliseLead({ contact: { email: 'x@nodot' } }, 'partner')).message).toContain('contact.email: expected an email address');
	});

	it('rejects a payload with no identity, a non-object payload and an unknown source', () => {
		expect(thrown(() => normaliseLead({ first_name: 'Ana' }, 'marketing_form')).message).toContain('email: expected an email address or a lead id');
		expect(thrown(() => normaliseLead([{ email: 'a@b.com' }], 'marketing_form')).message).toContain('(root): expected an object such as a form post');
		expect(thrown(() => normaliseLead('a@b.com', 'marketing_form')).message).toContain('(received string)');
		expect(thrown(() => normaliseLead({ email: 'a@b.com' }, 'fax' as never)).message).toContain('source: expected one of "marketing_form", "partner"');
	});
});

describe('parseLeadCsv', () => {
	const header = 'Email,First Name,Country,Employees,UTM Campaign';

	it('reads a header row and one lead per row, tolerating a BOM and CRLF, and RFC 4180 quoting', () => {
		const text = `\uFEFF${header}\r\nana@acme.com,Ana,UK,"1,200","spring, ""vip"""\r\n\r\n"bo@globex.de","Bo\nBob",Germany,80,\n`;
		const { leads, errors } = parseLeadCsv(text);
		expect(errors).toEqual([]);
		expect(leads.map((l) => l.row)).toEqual([2, 3]);
		expect(leads[0].lead).toEqual({ id: normaliseLead({ email: 'ana@acme.com' }, 'csv').id, email: 'ana@acme.com', email_domain: 'acme.com', country: 'GB', company_size: 1200, source: 'csv', utm_campaign: 'spring, "vip"' });
		expect(leads[1].context.first_name).toBe('Bo\nBob');
		expect(leads[1].lead).toMatchObject({ country: 'DE', company_size: 80 });
		expect(parseLeadCsv(`${header}\nx@y.com`, { source: 'partner' }).leads[0].lead.source).toBe('partner');
	});

	it('reports a row with no email naming row and column, and keeps the other rows', () => {
		const { leads, errors } = parseLeadCsv(`${header}\nana@acme.com,Ana,GB,10,\n ,Bo,DE,20,\nce@x.io,Ce,FR,30,`);
		expect(leads.map((l) => l.lead.email)).toEqual(['ana@acme.com', 'ce@x.io']);
		expect(errors).toEqual([{ row: 3, column: 'Email', message: 'no email: every lead in an upload needs one' }]);
	});

	it('reports a bad email, extra fields, a repeated lead and quoting mistakes, each with its row', () => {
		const text = [header, 'not-an-email,A,GB,1,', 'ok@x.com,B,GB,1,,surplus', 'ok2@x.com,C,GB,1,', 'OK2@x.com,D,GB,1,', 'q@x.com,"E"x,GB,1,', 'r@x.com,F,GB,1,"open'].join('\n');
		const { leads, errors } = parseLeadCsv(text);
		expect(leads.map((l) => l.row)).toEqual([4]);
		expect(errors).toEqual([
			{ row: 2, column: 'Email', message: expect.stringContaining('Email: expected an email address') },
			{ row: 3, column: null, message: 'expected 5 fields as in the header row, found 6' },
			{ row: 5, column: 'Email', message: `the same lead as row 4 (same email, so the same lead id ${leads[0].lead.id})` },
			{ row: 6, column: 'First Name', message: expect.stringContaining('unexpected text after a closing quote') },
			{ row: 7, column: 'UTM Campaign', message: expect.stringContaining('a quoted field is never closed') },
		]);
	});

	it('reports a file with no email column or no rows at all', () => {
		expect(parseLeadCsv('name,country\nAna,GB\n')).toEqual({ leads: [], errors: [{ row: 1, column: null, message: 'no email column: expected a header such as "email" (found "name", "country")' }] });
		expect(parseLeadCsv('\uFEFF\r\n')).toEqual({ leads: [], errors: [{ row: 1, column: null, message: expect.stringContaining('the file is empty') }] });
	});

	it('refuses more rows than maxRows and input that is not text', () => {
		const rows = Array.from({ length: 4 }, (_, i) => `u${i}@x.com,,,,`);
		expect(parseLeadCsv([header, ...rows].join('\n'), { maxRows: 4 }).leads).toHaveLength(4);
		const error = thrown(() => parseLeadCsv([header, ...rows, 'u9@x.com,,,,'].join('\n'), { maxRows: 4 }));
		expect(error.message).toContain('rows: expected at most 4 lead rows (received 5)');
		expect(thrown(() => parseLeadCsv(Buffer.from(header))).message).toContain('text: expected CSV text with a header row (received object)');
		expect(thrown(() => parseLeadCsv(header, { source: 'crm ' as never })).message).toContain('source: expected one of');
	});
});

describe('csv', () => {
	it('round-trips fields with commas, quotes, CR and LF', () => {
		const rows = [['a', 'b,c', 'say "hi"'], ['line1\r\nline2', '', 'x\ry'], [1, true, null]];
		expect(parseCsv(toCsv(rows))).toEqual({ records: [['a', 'b,c', 'say "hi"'], ['line1\r\nline2', '', 'x\ry'], ['1', 'true', '']], issues: [] });
		// A bare quote inside an unquoted field is text, as Excel writes it.
		expect(parseCsv('5" screen,ok').records).toEqual([['5" screen', 'ok']]);
	});
});
