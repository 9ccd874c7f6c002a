/**
 * What a user installs is the npm tarball, so check the tarball itself: every node and credential
 * named in package.json is in dist/, loads, and ships its icon and codex file; no sources or tests leak.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = require(join(root, 'package.json'));

interface PackedFile {
	path: string;
}

let files: Set<string>;

beforeAll(() => {
	if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
	const [manifest] = JSON.parse(out) as [{ files: PackedFile[] }];
	files = new Set(manifest.files.map((f) => f.path));
});

/**
 * Credential types some shipped node tests through `testedBy` + `methods.credentialTest` (auth flows a
 * declarative request cannot express: DocuSign's JWT grant, jsforce's OAuth, HubSpot OAuth refresh).
 */
function testedByNodes(): Set<string> {
	const tested = new Set<string>();
	for (const nodePath of pkg.n8n.nodes as string[]) {
		const NodeClass = Object.values(require(join(root, nodePath)))[0] as new () => {
			description: { credentials?: Array<{ name: string; testedBy?: string }> };
			methods?: { credentialTest?: Record<string, unknown> };
		};
		const node = new NodeClass();
		for (const credential of node.description.credentials ?? []) {
			if (credential.testedBy && typeof node.methods?.credentialTest?.[credential.testedBy] === 'function') tested.add(credential.name);
		}
	}
	return tested;
}

function iconFiles(icon: unknown): string[] {
	if (typeof icon === 'string') return [icon];
	if (icon && typeof icon === 'object') return Object.values(icon as Record<string, string>);
	return [];
}

describe('npm pack', () => {
	it('ships only dist/ and the package metadata', () => {
		const outside = [...files].filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f));
		expect(outside).toEqual([]);
		expect([...files].filter((f) => f.endsWith('.test.js') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
	});

	it.each(pkg.n8n.nodes as string[])('contains node %s with its icon and codex file', (nodePath) => {
		expect(files).toContain(nodePath);
		const module = require(join(root, nodePath));
		const NodeClass = Object.values(module)[0] as new () => { description: { name: string; icon?: unknown } };
		const node = new NodeClass();
		const base = nodePath.replace(/\.js$/, '');
		expect(files).toContain(`${base}.json`);
		const icons = iconFiles(node.description.icon);
		expect(icons.length).toBeGreaterThan(0);
		for (const icon of icons) expect(files).toContain(join(dirname(nodePath), icon.replace(/^file:/, '')));
		const codex = require(join(root, `${base}.json`));
		expect(codex.node).toBe(`${pkg.name}.${node.description.name}`);
	});

	it.each(pkg.n8n.credentials as string[])('contains credential %s with its icon', (credentialPath) => {
		expect(files).toContain(credentialPath);
		const module = require(join(root, credentialPath));
		const CredentialClass = Object.values(module)[0] as new () => { name: string; icon?: unknown; test?: unknown };
		const credential = new CredentialClass();
		// A credential test the editor can run: a declarative request, or a node's credentialTest method.
		expect({ name: credential.name, testable: credential.test !== undefined || testedByNodes().has(credential.name) }).toEqual({ name: credential.name, testable: true });
		for (const icon of iconFiles(credential.icon)) expect(files).toContain(join(dirname(credentialPath), icon.replace(/^file:/, '')));
	});

	it('ships the bundled configuration and published OpenAPI documents', () => {
		expect([...files].some((f) => f.startsWith('dist/connectors/superadmin/') && f.endsWith('.json'))).toBe(true);
		expect([...files].some((f) => f.endsWith('openapi.yaml'))).toBe(true);
	});
});
