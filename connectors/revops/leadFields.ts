/** Value readers for lead ingestion: payloads arrive as form strings, CRM strings or numbers. */

/** "utm_campaign", "utmCampaign", "UTM Campaign" and "UtmCampaign" are one key. */
export function keyOf(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Trimmed text, or undefined for empty/absent values; HubSpot v1 wraps values as `{ value }`. */
export function textOf(value: unknown): string | undefined {
	if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value) return textOf((value as { value: unknown }).value);
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

/** Employee counts: 250, "1,200", a HubSpot band "25-50" (its lower bound) or "1000+". */
export function countOf(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
	const text = textOf(value)?.replace(/[,\s]/g, '');
	const match = text === undefined ? null : /^(\d+)(?:[-–]\d+|\+)?$/.exec(text);
	return match === null ? undefined : Number(match[1]);
}

/** Money: 50000, "$50,000", "50k", "1.2M". */
export function amountOf(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
	const text = textOf(value)?.replace(/[,\s$€£]/g, '').toLowerCase();
	const match = text === undefined ? null : /^(\d+(?:\.\d+)?)([km]?)$/.exec(text);
	if (match === null) return undefined;
	return Number(match[1]) * (match[2] === 'k' ? 1_000 : match[2] === 'm' ? 1_000_000 : 1);
}

export function booleanOf(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	const text = textOf(value)?.toLowerCase();
	if (text === undefined) return undefined;
	if (['true', 'yes', '1', 'y', 'on'].includes(text)) return true;
	if (['false', 'no', '0', 'n', 'off'].includes(text)) return false;
	return undefined;
}

/** "https://www.Acme.com/pricing" → "acme.com". */
export function domainOf(value: unknown): string | undefined {
	const text = textOf(value)?.toLowerCase();
	if (text === undefined) return undefined;
	const host = text.replace(/^[a-z]+:\/\//, '').replace(/^www\./, '').split(/[/?#:]/)[0];
	return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : undefined;
}

// Enough names to cover what forms and CRM exports actually send; two-letter codes pass through.
const COUNTRY_NAMES: Record<string, string> = {
	'united kingdom': 'GB', 'great britain': 'GB', britain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB', gbr: 'GB',
	'united states': 'US', 'united states of america': 'US', usa: 'US', america: 'US',
	canada: 'CA', can: 'CA', mexico: 'MX', brazil: 'BR', ireland: 'IE', irl: 'IE', germany: 'DE', deutschland: 'DE', deu: 'DE',
	france: 'FR', fra: 'FR', netherlands: 'NL', 'the netherlands': 'NL', holland: 'NL', nld: 'NL', spain: 'ES', españa: 'ES', esp: 'ES',
	italy: 'IT', ita: 'IT', sweden: 'SE', norway: 'NO', denmark: 'DK', finland: 'FI', poland: 'PL', portugal: 'PT', belgium: 'BE',
	switzerland: 'CH', austria: 'AT', australia: 'AU', aus: 'AU', 'new zealand': 'NZ', singapore: 'SG', japan: 'JP', india: 'IN', ind: 'IN',
	'north korea': 'KP', iran: 'IR', cuba: 'CU', syria: 'SY',
};

/** ISO 3166 alpha-2, or undefined when the value is not a country this table knows. */
export function countryCodeOf(value: unknown): string | undefined {
	const text = textOf(value)?.replace(/\./g, '').toLowerCase();
	if (text === undefined) return undefined;
	if (/^[a-z]{2}$/.test(text)) return text === 'uk' ? 'GB' : text.toUpperCase();
	return COUNTRY_NAMES[text];
}

const US_STATES =
	'AL:alabama,AK:alaska,AZ:arizona,AR:arkansas,CA:california,CO:colorado,CT:connecticut,DE:delaware,DC:district of columbia,FL:florida,' +
	'GA:georgia,HI:hawaii,ID:idaho,IL:illinois,IN:indiana,IA:iowa,KS:kansas,KY:kentucky,LA:louisiana,ME:maine,MD:maryland,MA:massachusetts,' +
	'MI:michigan,MN:minnesota,MS:mississippi,MO:missouri,MT:montana,NE:nebraska,NV:nevada,NH:new hampshire,NJ:new jersey,NM:new mexico,' +
	'NY:new york,NC:north carolina,ND:north dakota,OH:ohio,OK:oklahoma,OR:oregon,PA:pennsylvania,RI:rhode island,SC:south carolina,' +
	'SD:south dakota,TN:tennessee,TX:texas,UT:utah,VT:vermont,VA:virginia,WA:washington,WV:west virginia,WI:wisconsin,WY:wyoming';
const US_STATE_CODES = new Map(US_STATES.split(',').map((entry) => entry.split(':').reverse() as [string, string]));

/** Territories are written "US-CA", so a US state name becomes its code; other states are kept upper-cased. */
export function stateCodeOf(value: unknown, country: string | undefined): string | undefined {
	const text = textOf(value);
	if (text === undefined) return undefined;
	return (country === 'US' ? US_STATE_CODES.get(text.toLowerCase()) : undefined) ?? text.toUpperCase();
}

/** utm_* parameters of a landing-page URL, keyed by their short name ("campaign"). */
export function utmFromUrl(value: unknown): Record<string, string> {
	const text = textOf(value);
	const out: Record<string, string> = {};
	if (text === undefined) return out;
	let url: URL;
	try {
		url = new URL(text, 'https://landing.invalid');
	} catch {
		return out;
	}
	for (const [name, raw] of url.searchParams) {
		const match = /^utm_([a-z]+)$/.exec(name.toLowerCase());
		const param = raw.trim();
		if (match !== null && param !== '' && out[match[1]] === undefined) out[match[1]] = param;
	}
	return out;
}
