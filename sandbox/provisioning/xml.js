// @ts-check
'use strict';

/**
 * Just enough XML for the AWS fakes: a serializer for response objects and a parser for the small request
 * documents Route 53 receives (no attributes needed beyond the root's xmlns, no CDATA, no DTDs).
 *
 * Serializer convention: an object is a sequence of child elements; an array's items are one-key objects naming
 * each member element (`DBInstances: [{ DBInstance: {...} }]`); null/undefined children are left out.
 */

/** @param {unknown} value */
const escapeXml = (value) => String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** @param {string} name @param {unknown} value @returns {string} */
function element(name, value) {
	if (value === undefined || value === null) return '';
	if (Array.isArray(value)) return `<${name}>${value.map((item) => children(item)).join('')}</${name}>`;
	if (typeof value === 'object') return `<${name}>${children(value)}</${name}>`;
	return `<${name}>${escapeXml(value)}</${name}>`;
}

/** @param {unknown} value */
function children(value) {
	return Object.entries(/** @type {Record<string, unknown>} */ (value)).map(([key, child]) => element(key, child)).join('');
}

/** A whole document with its namespace. @param {string} root @param {string} xmlns @param {Record<string, unknown>} content */
function xmlDocument(root, xmlns, content) {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${children(content)}</${root}>`;
}

/** @typedef {{ name: string, children: XmlNode[], text: string }} XmlNode */

const unescapeXml = (/** @type {string} */ text) =>
	text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_m, entity) => {
		const named = /** @type {Record<string, string>} */ ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[entity.toLowerCase()];
		if (named) return named;
		return String.fromCodePoint(entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
	});

/**
 * Parse a document into nodes (local names, namespace prefixes dropped). Throws on malformed markup.
 * @param {string} raw
 * @returns {XmlNode}
 */
function parseXml(raw) {
	const source = raw.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
	/** @type {XmlNode} */
	const top = { name: '#document', children: [], text: '' };
	const stack = [top];
	const tag = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|([^<]+)/g;
	let match;
	while ((match = tag.exec(source))) {
		const [, closing, qualified, , selfClosing, text] = match;
		const current = stack[stack.length - 1];
		if (text !== undefined) {
			current.text += unescapeXml(text);
			continue;
		}
		const name = qualified.includes(':') ? qualified.split(':').pop() || qualified : qualified;
		if (closing) {
			if (current.name !== name || stack.length === 1) throw new Error(`Unexpected closing tag </${name}>`);
			stack.pop();
			continue;
		}
		/** @type {XmlNode} */
		const node = { name, children: [], text: '' };
		current.children.push(node);
		if (!selfClosing) stack.push(node);
	}
	if (stack.length !== 1 || top.children.length !== 1) throw new Error('Malformed XML document');
	return top.children[0];
}

/** @param {XmlNode | undefined} node @param {string} name */
const childNode = (node, name) => (node ? node.children.find((c) => c.name === name) : undefined);
/** @param {XmlNode | undefined} node @param {string} name */
const childNodes = (node, name) => (node ? node.children.filter((c) => c.name === name) : []);
/** Trimmed text of a child element, or undefined. @param {XmlNode | undefined} node @param {string} name */
const childText = (node, name) => {
	const found = childNode(node, name);
	return found ? found.text.trim() : undefined;
};

module.exports = { escapeXml, element, xmlDocument, parseXml, childNode, childNodes, childText };
