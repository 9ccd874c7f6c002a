import { compact, latest, leadTouched, parseLeadFilter, parseLeadInput, parseTouchOptions } from '../leads';

const INITIAL = ['Open - Not Contacted'];

describe('leadTouched', () => {
	it('is touched when the status left the initial ones (ignoring case and blanks)', () => {
		expect(leadTouched('Working - Contacted', undefined, undefined, INITIAL)).toBe(true);
		expect(leadTouched(' open - NOT contacted ', undefined, undefined, INITIAL)).toBe(false);
		expect(leadTouched(undefined, undefined, undefined, INITIAL)).toBe(false);
		expect(leadTouched('  ', undefined, undefined, INITIAL)).toBe(false);
	});

	it('counts an activity at or after the assignment; a day-only activity from the assignment day (UTC) on', () => {
		expect(leadTouched(undefined, '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00Z', INITIAL)).toBe(true);
		expect(leadTouched(undefined, '2026-03-10T09:59:59.000Z', '2026-03-10T10:00:00Z', INITIAL)).toBe(false);
		expect(leadTouched(undefined, '2026-03-10', '2026-03-10T23:00:00-05:00', INITIAL)).toBe(false); // 04:00 UTC on the 11th
		expect(leadTouched(undefined, '2026-03-11', '2026-03-10T23:00:00-05:00', INITIAL)).toBe(true);
		expect(leadTouched(undefined, '2026-03-01', undefined, INITIAL)).toBe(true);
	});
});

describe('lead helpers', () => {
	it('latest picks the later timestamp of two, either may be missing', () => {
		expect(latest(undefined, undefined)).toBeUndefined();
		expect(latest('2026-01-01T00:00:00Z', undefined)).toBe('2026-01-01T00:00:00Z');
		expect(latest(undefined, '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
		expect(latest('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toBe('2026-02-01T00:00:00Z');
		expect(latest('2026-03-01T00:00:00Z', '2026-02-01T00:00:00Z')).toBe('2026-03-01T00:00:00Z');
	});

	it('compact drops undefined values only', () => {
		expect(compact({ a: 1, b: undefined, c: '', d: null })).toEqual({ a: 1, c: '', d: null });
		expect(Object.keys(compact({ a: 1, b: undefined }))).toEqual(['a']);
	});

	it('parses lead input: email lower-cased, blanks dropped, the field at fault named', () => {
		expect(parseLeadInput({ email: ' A@B.example ', firstName: '', company: ' Acme ' }, 'x')).toEqual({ email: 'a@b.example', company: 'Acme' });
		expect(() => parseLeadInput({ email: 'a@b.example', lastName: 'x'.repeat(81) }, 'x')).toThrow(expect.objectContaining({ field: 'lead.lastName' }));
		expect(() => parseLeadInput({ email: 'a@b.example', properties: [] as unknown as Record<string, unknown> }, 'x')).toThrow(expect.objectContaining({ field: 'lead.properties' }));
		expect(() => parseLeadInput(undefined as never, 'x')).toThrow(expect.objectContaining({ field: 'lead' }));
	});

	it('parses touch options and filters', () => {
		expect(parseTouchOptions(undefined, 'x')).toEqual({ assignedAt: undefined, initialStatuses: undefined });
		expect(parseTouchOptions({ initialStatuses: [' NEW '] }, 'x').initialStatuses).toEqual(['NEW']);
		expect(() => parseTouchOptions({ initialStatuses: 'NEW' as never }, 'x')).toThrow(expect.objectContaining({ field: 'options.initialStatuses' }));
		expect(parseLeadFilter({ email: 'A@B.example' }, 'x')).toMatchObject({ email: 'a@b.example', limit: 100 });
		expect(() => parseLeadFilter({ updatedSince: '2026-01-01' }, 'x')).toThrow(expect.objectContaining({ field: 'filter.updatedSince' }));
	});
});
