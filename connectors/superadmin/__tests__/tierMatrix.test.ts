import bundled from '../tier-matrix.json';
import { flagsForTier, loadTierMatrix, parseTierMatrix } from '../tierMatrix';
import { ConnectorError } from '../../core';

function copy(): Record<string, any> {
	return JSON.parse(JSON.stringify(bundled));
}

function errorOf(fn: () => unknown): ConnectorError {
	try {
		fn();
	} catch (error) {
		return error as ConnectorError;
	}
	throw new Error('expected an error');
}

describe('tier matrix', () => {
	it('ships the seed 004 matrix: nine modules × three tiers', () => {
		const matrix = loadTierMatrix();
		expect(matrix.tiers.map((t) => t.key)).toEqual(['grassroots', 'professional', 'world_class']);
		expect(matrix.modules).toHaveLength(9);
	});

	it('gives Grassroots no Sports Medicine and basic Analytics/Scouting', () => {
		const { flags, extras, tier } = flagsForTier(loadTierMatrix(), 'grassroots');
		expect(tier).toBe('grassroots');
		expect(flags.sports_medicine).toBe('disabled');
		expect(flags.analytics_reporting).toBe('basic');
		expect(flags.scouting_recruitment).toBe('basic');
		expect(flags.academy_operations).toBe('full');
		expect(extras).toEqual({});
	});

	it('gives Professional full Sports Medicine and advanced Analytics', () => {
		const { flags } = flagsForTier(loadTierMatrix(), 'professional');
		expect(flags.sports_medicine).toBe('full');
		expect(flags.analytics_reporting).toBe('advanced');
		expect(flags.scouting_recruitment).toBe('full');
	});

	it('gives World Class full Analytics plus custom exports, and accepts the display spelling', () => {
		const set = flagsForTier(loadTierMatrix(), 'World Class');
		expect(set.tier).toBe('world_class');
		expect(set.flags.analytics_reporting).toBe('full');
		expect(set.extras).toEqual({ analytics_reporting: ['custom_exports'] });
	});

	it('rejects an unknown tier naming the allowed ones', () => {
		const error = errorOf(() => flagsForTier(loadTierMatrix(), 'platinum'));
		expect(error.kind).toBe('validation');
		expect(error.field).toBe('tier');
		expect(error.message).toContain('"grassroots", "professional", "world_class"');
	});

	it('uses an override (object or JSON text) instead of the bundled file', () => {
		const edited = copy();
		edited.modules[6].access.grassroots = 'basic';
		expect(flagsForTier(loadTierMatrix(edited), 'grassroots').flags.sports_medicine).toBe('basic');
		expect(flagsForTier(loadTierMatrix(JSON.stringify(edited)), 'grassroots').flags.sports_medicine).toBe('basic');
		// Empty overrides mean "use the bundled matrix".
		for (const empty of [undefined, null, '', '  ', {}]) {
			expect(flagsForTier(loadTierMatrix(empty), 'grassroots').flags.sports_medicine).toBe('disabled');
		}
	});

	it('normalises level spelling in an override', () => {
		const edited = copy();
		edited.modules[0].access.grassroots = ' Basic ';
		expect(parseTierMatrix(edited).modules[0].access.grassroots).toBe('basic');
	});

	it('names the module and tier when a level is wrong', () => {
		const edited = copy();
		edited.modules[6].access.grassroots = 'partial';
		const error = errorOf(() => parseTierMatrix(edited));
		expect(error.kind).toBe('validation');
		expect(error.field).toBe('tierMatrix.modules[sports_medicine].access.grassroots');
		expect(error.message).toContain('"disabled", "basic", "advanced", "full"');
		expect(error.message).toContain('"partial"');
	});

	it('names the module and tier when a tier is missing from a module', () => {
		const edited = copy();
		delete edited.modules[4].access.world_class;
		const error = errorOf(() => parseTierMatrix(edited));
		expect(error.field).toBe('tierMatrix.modules[analytics_reporting].access.world_class');
		expect(error.message).toContain('module "analytics_reporting"');
	});

	it('rejects a tier in a module that the matrix does not list', () => {
		const edited = copy();
		edited.modules[1].access.platinum = 'full';
		expect(errorOf(() => parseTierMatrix(edited)).field).toBe('tierMatrix.modules[player_management].access.platinum');
	});

	it.each([
		['not JSON', '{oops', 'tierMatrix'],
		['a list', [], 'tierMatrix'],
		['another version', { ...copy(), version: 2 }, 'tierMatrix.version'],
		['no tiers', { ...copy(), tiers: [] }, 'tierMatrix.tiers'],
		['a tier that is not an object', { ...copy(), tiers: ['grassroots'] }, 'tierMatrix.tiers[0]'],
		['a bad tier key', { ...copy(), tiers: [{ key: 'Grass Roots', name: 'x' }] }, 'tierMatrix.tiers[0].key'],
		['a duplicate tier', { ...copy(), tiers: [{ key: 'grassroots', name: 'a' }, { key: 'grassroots', name: 'b' }] }, 'tierMatrix.tiers[1].key'],
		['an empty tier name', { ...copy(), tiers: [{ key: 'grassroots', name: ' ' }] }, 'tierMatrix.tiers[0].name'],
		['no modules', { ...copy(), modules: [] }, 'tierMatrix.modules'],
		['a module that is not an object', { ...copy(), modules: [7] }, 'tierMatrix.modules[0]'],
		['a bad module key', { ...copy(), modules: [{ key: 'Sports Medicine', access: {} }] }, 'tierMatrix.modules[0].key'],
	])('rejects %s', (_label, matrix, field) => {
		expect(errorOf(() => parseTierMatrix(matrix)).field).toBe(field);
	});

	it('rejects duplicate modules, bad names, missing access and bad extras', () => {
		const dup = copy();
		dup.modules.push(dup.modules[0]);
		expect(errorOf(() => parseTierMatrix(dup)).field).toBe('tierMatrix.modules[academy_operations].key');
		const name = copy();
		name.modules[0].name = '';
		expect(errorOf(() => parseTierMatrix(name)).field).toBe('tierMatrix.modules[academy_operations].name');
		const access = copy();
		access.modules[0].access = 'full';
		expect(errorOf(() => parseTierMatrix(access)).field).toBe('tierMatrix.modules[academy_operations].access');
		const extrasType = copy();
		extrasType.modules[4].extras = ['custom_exports'];
		expect(errorOf(() => parseTierMatrix(extrasType)).field).toBe('tierMatrix.modules[analytics_reporting].extras');
		const extrasTier = copy();
		extrasTier.modules[4].extras = { gold: ['x'] };
		expect(errorOf(() => parseTierMatrix(extrasTier)).field).toBe('tierMatrix.modules[analytics_reporting].extras.gold');
		const extrasList = copy();
		extrasList.modules[4].extras = { world_class: 'custom_exports' };
		expect(errorOf(() => parseTierMatrix(extrasList)).field).toBe('tierMatrix.modules[analytics_reporting].extras.world_class');
		const extrasDisabled = copy();
		extrasDisabled.modules[6].extras = { grassroots: ['lite'] };
		expect(errorOf(() => parseTierMatrix(extrasDisabled)).message).toContain('module "sports_medicine" is disabled for tier "grassroots"');
	});

	it('accepts a matrix with its own tiers and defaults names to keys', () => {
		const matrix = parseTierMatrix({ tiers: [{ key: 'starter' }], modules: [{ key: 'crm', access: { starter: 'basic' } }] });
		expect(matrix.tiers).toEqual([{ key: 'starter', name: 'starter' }]);
		expect(flagsForTier(matrix, 'Starter')).toEqual({ tier: 'starter', flags: { crm: 'basic' }, extras: {} });
	});
});
