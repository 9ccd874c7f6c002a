/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message, so the real Send Email node
 * (nodemailer) can be tested end to end. Only the headers tests need are parsed.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
	/** Envelope sender (MAIL FROM). */
	envelopeFrom: string;
	/** Envelope recipients (RCPT TO). */
	envelopeTo: string[];
	from: string;
	to: string;
	cc: string;
	subject: string;
	/** All top-level headers, lower-cased names, unfolded and RFC 2047-decoded. */
	headers: Record<string, string>;
	/** Message body after the header block, transfer-decoded when it is a single part. */
	body: string;
	/** The message exactly as received. */
	raw: string;
}

export interface SmtpSink {
	port: number;
	messages: SinkMessage[];
	/** Send Email's `smtp` credential data pointing at this sink. */
	credentials: { host: string; port: number; secure: false; disableStartTls: true; user: string; password: string };
	/** Resolves once `count` messages arrived (rejects after timeoutMs). */
	waitForMessages(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
	close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
	const messages: SinkMessage[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const envelope = session.envelope;
				messages.push(
					parseMessage(
						Buffer.concat(chunks).toString('utf8'),
						envelope.mailFrom ? envelope.mailFrom.address : '',
						envelope.rcptTo.map((recipient) => recipient.address),
					),
				);
				callback();
			});
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.server.address() as AddressInfo).port;
	return {
		port,
		messages,
		credentials: { host: '127.0.0.1', port, secure: false, disableStartTls: true, user: '', password: '' },
		waitForMessages: async (count, timeoutMs = 3000) => {
			const deadline = Date.now() + timeoutMs;
			while (messages.length < count) {
				if (Date.now() > deadline) throw new Error(`[harness] SMTP sink got ${messages.length} of ${count} messages`);
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			return messages;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export function parseMessage(raw: string, envelopeFrom: string, envelopeTo: string[]): SinkMessage {
	const separator = raw.search(/\r?\n\r?\n/);
	const headerBlock = separator === -1 ? raw : raw.slice(0, separator);
	const rawBody = separator === -1 ? '' : raw.slice(separator).replace(/^\r?\n\r?\n/, '');
	const headers: Record<string, string> = {};
	for (const line of headerBlock.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		headers[line.slice(0, colon).trim().toLowerCase()] = decodeEncodedWords(line.slice(colon + 1).trim());
	}
	const isMultipart = (headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
	const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
	return {
		envelopeFrom,
		envelopeTo,
		from: headers.from ?? '',
		to: headers.to ?? '',
		cc: headers.cc ?? '',
		subject: headers.subject ?? '',
		headers,
		body: isMultipart ? rawBody : decodeTransfer(rawBody, encoding),
		raw,
	};
}

function decodeTransfer(body: string, encoding: string): string {
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') return decodeQuotedPrintable(body.replace(/=\r?\n/g, ''));
	return body;
}

function decodeQuotedPrintable(text: string): string {
	const bytes: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const hex = text.slice(i + 1, i + 3);
		if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(text[i], 'utf8'));
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 `=?charset?B|Q?text?=` words (nodemailer uses them for non-ASCII subjects). */
function decodeEncodedWords(value: string): string {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_match, _charset: string, kind: string, text: string) =>
			kind.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: decodeQuotedPrintable(text.replace(/_/g, ' ')),
		);
}
