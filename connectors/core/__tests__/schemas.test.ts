import { ConnectorError } from '../errors';
import { businessKeySchema, currencySchema, isoDateTimeSchema, minorAmountSchema, parseInput, z, zodToValidationError } from '../schemas';

function validationFailure(run: () => unknown): ConnectorError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		expect((error as ConnectorError).kind).toBe('validation');
		return error as ConnectorError;
	}
	throw new Error('expected a validation error');
}

const contract = z.object({
	customer: z.object({
		email: z.string().email(),
		tier: z.enum(['gold', 'silver']),
		seats: z.number().int().min(1),
		tags: z.array(z.string()).min(1).optional(),
		name: z.string().max(5).optional(),
		site: z.string().url().optional(),
		kind: z.literal('business').optional(),
		ref: z.union([z.string(), z.number()]).optional(),
		code: z.string().regex(/^[A-Z]+$/).optional(),
	}),
});
const valid = { customer: { email: 'ops@acme.test', tier: 'gold', seats: 3 } };
const withCustomer = (customer: Record<string, unknown>) => ({ customer: { ...valid.customer, ...customer } });

describe('parseInput', () => {
	it('returns the parsed value', () => {
		expect(parseInput(contract, valid)).toEqual(valid);
	});

	it('names the nested field path and the expected type', () => {
		const error = validationFailure(() => parseInput(contract, withCustomer({ seats: 'three' })));
		expect(error.field).toBe('input.customer.seats');
		expect(error.expected).toBe('a number');
		expect(error.message).toBe('Invalid "input.customer.seats": expected a number (received string)');
	});

	it('names the email field with a readable expectation', () => {
		const error = validationFailure(() => parseInput(contract, withCustomer({ email: 'not-an-email' })));
		expect(error.field).toBe('input.customer.email');
		expect(error.message).toBe('Invalid "input.customer.email": expected a valid email (received "not-an-email")');
	});

	it('lists the enum options', () => {
		const error = validationFailure(() => parseInput(contract, withCustomer({ tier: 'bronze' }), 'contract', 'vmf'));
		expect(error.field).toBe('contract.customer.tier');
		expect(error.expected).toBe('one of "gold", "silver"');
		expect(error.vendor).toBe('vmf');
		expect(error.message).toContain('(received "bronze")');
	});

	it.each([
		[{ seats: 0 }, 'a number greater than or equal to 1'],
		[{ seats: 1.5 }, 'an integer'],
		[{ tags: [] }, 'a list of at least 1 item(s)'],
		[{ name: 'abcdefg' }, 'text of at most 5 character(s)'],
		[{ site: 'nope' }, 'a valid url'],
		[{ kind: 'person' }, '"business"'],
		[{ ref: true }, 'a value matching one of the allowed shapes'],
		[{ code: 'abc' }, 'text that matches the required format'],
	])('phrases the expectation for %p', (customer, expected) => {
		expect(validationFailure(() => parseInput(contract, withCustomer(customer))).expected).toBe(expected);
	});

	it('phrases exclusive and exact bounds', () => {
		expect(validationFailure(() => parseInput(z.number().gt(2), 2)).expected).toBe('a number greater than 2');
		expect(validationFailure(() => parseInput(z.number().lt(2), 2)).expected).toBe('a number less than 2');
		expect(validationFailure(() => parseInput(z.string().length(2), 'abc')).expected).toBe('text of exactly 2 character(s)');
		expect(validationFailure(() => parseInput(z.date().min(new Date(1000)), new Date(0))).expected).toMatch(/^date must be/);
		expect(validationFailure(() => parseInput(z.number().multipleOf(5), 7)).expected).toBe('number must be a multiple of 5');
	});

	it('reports a missing object and counts further issues', () => {
		const error = validationFailure(() => parseInput(contract, {}));
		expect(error.field).toBe('input.customer');
		expect(error.message).toBe('Invalid "input.customer": expected an object (received undefined)');
		const many = validationFailure(() => parseInput(contract, { customer: { email: 1, tier: 2, seats: 'x' } }));
		expect(many.message).toMatch(/\(\+2 more issues\)$/);
		expect(many.details).toEqual([
			{ path: 'input.customer.email', message: expect.any(String) },
			{ path: 'input.customer.tier', message: expect.any(String) },
			{ path: 'input.customer.seats', message: expect.any(String) },
		]);
		const two = validationFailure(() => parseInput(contract, { customer: { email: 'a@b.co', tier: 2, seats: 'x' } }));
		expect(two.message).toMatch(/\(\+1 more issue\)$/);
	});

	it('uses a custom schema message as the expectation', () => {
		const error = validationFailure(() => parseInput(z.object({ when: z.string().refine((v) => v > '2024', 'A date after 2024') }), { when: '2023' }));
		expect(error.expected).toBe('a date after 2024');
		expect(validationFailure(() => parseInput(z.string().refine(() => false, 'URL of the portal'), 'x')).expected).toBe('URL of the portal');
	});

	it('names the root when the label is empty and the value itself is wrong', () => {
		expect(validationFailure(() => parseInput(z.string(), 5, '')).field).toBe('');
		expect(validationFailure(() => parseInput(z.undefined(), 5)).expected).toBe('no value');
	});

	it('does not echo long strings or objects as the received value', () => {
		const long = 'x'.repeat(60);
		expect(validationFailure(() => parseInput(z.string().email(), long)).message).not.toContain(long);
	});

	it('zodToValidationError can label vendor responses', () => {
		const result = z.object({ id: z.string() }).safeParse({ id: 1 });
		expect(result.success).toBe(false);
		if (!result.success) expect(zodToValidationError(result.error.issues, 'response', { id: 1 }).field).toBe('response.id');
	});
});

describe('shared field schemas', () => {
	it('businessKeySchema trims and rejects blanks with its own wording', () => {
		expect(businessKeySchema.parse('  C-1 ')).toBe('C-1');
		expect(validationFailure(() => parseInput(businessKeySchema, '   ', 'contractId')).message).toBe(
			'Invalid "contractId": expected a non-empty contract or order id (received "   ")',
		);
	});

	it('currencySchema lower-cases ISO codes and explains failures', () => {
		expect(parseInput(currencySchema, 'USD')).toBe('usd');
		expect(validationFailure(() => parseInput(currencySchema, 'us')).expected).toBe('a three-letter ISO currency code such as "usd"');
	});

	it('minorAmountSchema wants whole non-negative cents', () => {
		expect(parseInput(minorAmountSchema, 1999)).toBe(1999);
		expect(validationFailure(() => parseInput(minorAmountSchema, 19.99)).expected).toBe('a whole number of minor units (cents)');
		expect(validationFailure(() => parseInput(minorAmountSchema, -1)).expected).toBe('a number greater than or equal to 0');
	});

	it('isoDateTimeSchema accepts offsets and rejects plain dates', () => {
		expect(parseInput(isoDateTimeSchema, '2024-05-01T10:00:00+02:00')).toBe('2024-05-01T10:00:00+02:00');
		expect(validationFailure(() => parseInput(isoDateTimeSchema, '2024-05-01')).expected).toBe('a valid datetime');
	});
});
