// @ts-check
'use strict';

const { SMTPServer } = require('smtp-server');

/**
 * A real SMTP sink (smtp-server) on loopback for n8n's Send Email node: accepts every message without auth or TLS
 * and keeps it parsed (From, To, Subject, text body). Just enough MIME for what nodemailer sends: RFC 2047 encoded
 * words, quoted-printable / base64 bodies and the text/plain part of a multipart message.
 *
 * @typedef {{ id: number, receivedAt: string, envelope: { from: string | null, to: string[] }, from: string, to: string[],
 *   subject: string, text: string, headers: Record<string, string>, raw: string }} SandboxMail
 */

/** @param {string} text */
function decodeWords(text) {
	return text.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*(?==\?)|=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (...m) => {
		const charset = m[1] || m[4];
		const mode = (m[2] || m[5]).toUpperCase();
		const data = m[3] ?? m[6];
		const bytes = mode === 'B' ? Buffer.from(data, 'base64') : Buffer.from(qpBytes(data.replace(/_/g, ' ')));
		return bytes.toString(/utf-?8/i.test(charset) ? 'utf8' : 'latin1');
	});
}

/** @param {string} text @returns {number[]} */
function qpBytes(text) {
	const out = [];
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
			out.push(parseInt(text.slice(i + 1, i + 3), 16));
			i += 2;
		} else out.push(...Buffer.from(text[i], 'utf8'));
	}
	return out;
}

/** @param {string} text */
const decodeQuotedPrintable = (text) => Buffer.from(qpBytes(text.replace(/=\r?\n/g, ''))).toString('utf8');

/** Split a MIME entity into lower-cased unfolded headers and its body. @param {string} raw */
function splitEntity(raw) {
	const index = raw.search(/\r?\n\r?\n/);
	const head = index < 0 ? raw : raw.slice(0, index);
	const body = index < 0 ? '' : raw.slice(index).replace(/^\r?\n\r?\n/, '');
	/** @type {Record<string, string>} */
	const headers = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, body };
}

/** @param {Record<string, string>} headers @param {string} body @returns {string} */
function textOf(headers, body) {
	const type = headers['content-type'] || 'text/plain';
	const boundary = /boundary="?([^";]+)"?/i.exec(type);
	if (/^multipart\//i.test(type) && boundary) {
		const parts = body.split(`--${boundary[1]}`).slice(1).filter((p) => !p.startsWith('--'));
		const entities = parts.map((p) => splitEntity(p.replace(/^\r?\n/, '')));
		const plain = entities.find((e) => /^(text\/plain|multipart\/)/i.test(e.headers['content-type'] || 'text/plain')) || entities[0];
		return plain ? textOf(plain.headers, plain.body) : '';
	}
	const encoding = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
	const decoded = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
	return decoded.replace(/\r\n/g, '\n').replace(/\n$/, '');
}

/** Addresses of a header value: `"Name" <a@b>, c@d` → ['a@b', 'c@d']. @param {string | undefined} value */
function addresses(value) {
	if (!value) return [];
	return decodeWords(value)
		.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
		.map((part) => (/<([^>]+)>/.exec(part) || [null, part])[1].trim())
		.filter(Boolean);
}

/** Parse one raw message. @param {string} raw @returns {Omit<SandboxMail, 'id' | 'receivedAt' | 'envelope'>} */
function parseMail(raw) {
	const { headers, body } = splitEntity(raw);
	return { from: addresses(headers.from)[0] || '', to: addresses(headers.to), subject: decodeWords(headers.subject || ''), text: textOf(headers, body), headers, raw };
}

/** @param {{ latencyMs?: () => number }} [options] */
function createSmtpSink(options = {}) {
	/** @type {SandboxMail[]} */
	let messages = [];
	/** @type {Set<() => void>} */
	const waiters = new Set();
	let counter = 0;
	/** An outage: every message is refused with 421, as a relay that is down answers. */
	let down = false;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		closeTimeout: 200,
		onMailFrom(_address, _session, callback) {
			if (down) return callback(Object.assign(new Error('Service not available (sandbox SMTP outage)'), { responseCode: 421 }));
			return callback();
		},
		onData(stream, session, callback) {
			/** @type {Buffer[]} */
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const envelope = {
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
					to: session.envelope.rcptTo.map((r) => r.address),
				};
				const delay = options.latencyMs ? options.latencyMs() : 0;
				setTimeout(() => {
					messages.push({ id: ++counter, receivedAt: new Date().toISOString(), envelope, ...parseMail(raw) });
					for (const wake of [...waiters]) wake();
					callback();
				}, delay);
			});
		},
	});
	server.on('error', () => {
		/* a client dropping mid-session is not the sink's problem */
	});
	const sink = {
		server,
		host: '127.0.0.1',
		port: 0,
		/** @returns {SandboxMail[]} */
		messages: () => messages.map((m) => ({ ...m, to: [...m.to] })),
		clear() {
			messages = [];
		},
		/** Refuse (true) or accept (false) every message from now on. @param {boolean} isDown */
		setDown(isDown) {
			down = isDown;
		},
		/**
		 * Resolve with the messages once at least `count` arrived; reject after `timeoutMs`.
		 * @param {number} count @param {number} [timeoutMs]
		 * @returns {Promise<SandboxMail[]>}
		 */
		waitFor(count, timeoutMs = 10000) {
			return new Promise((resolve, reject) => {
				const check = () => {
					if (messages.length < count) return false;
					cleanup();
					resolve(sink.messages());
					return true;
				};
				const timer = setTimeout(() => {
					cleanup();
					reject(new Error(`SMTP sink: expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`));
				}, timeoutMs);
				const wake = () => void check();
				const cleanup = () => {
					clearTimeout(timer);
					waiters.delete(wake);
				};
				if (!check()) waiters.add(wake);
			});
		},
		/** @param {number} [port] @returns {Promise<{ host: string, port: number }>} */
		listen(port = 0) {
			return new Promise((resolve, reject) => {
				server.server.once('error', reject);
				server.listen(port, '127.0.0.1', () => {
					server.server.off('error', reject);
					sink.port = /** @type {import('node:net').AddressInfo} */ (server.server.address()).port;
					resolve({ host: sink.host, port: sink.port });
				});
			});
		},
		/** @returns {Promise<void>} */
		close() {
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
	return sink;
}

module.exports = { createSmtpSink, parseMail };
