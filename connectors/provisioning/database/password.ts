import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { registerSecret } from '../../core';

/**
 * A 32-character password from 24 random bytes, base64url: letters, digits, "-" and "_" only, so it is valid for RDS
 * (which refuses / ' " @ and spaces) and needs no escaping in a URL. Registered for redaction at once.
 */
export function generatePassword(): string {
	const password = randomBytes(24).toString('base64url');
	registerSecret(password);
	return password;
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, as libpq's PQencryptPasswordConn builds
 * it). Sending the verifier instead of the password keeps the password out of the server's statement log and
 * pg_stat_statements. Only for generated ASCII passwords: SASLprep is the identity on them.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
	const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
	const clientKey = createHmac('sha256', salted).update('Client Key').digest();
	const storedKey = createHash('sha256').update(clientKey).digest('base64');
	const serverKey = createHmac('sha256', salted).update('Server Key').digest('base64');
	return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey}:${serverKey}`;
}
