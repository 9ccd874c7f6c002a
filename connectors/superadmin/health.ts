import { type HttpTransport, z } from '../core';

export const healthSchema = z.object({ status: z.string() }).passthrough();

/** GET /v1/health: cheap authenticated call used by the credential test. */
export function checkHealth(transport: HttpTransport): Promise<z.infer<typeof healthSchema>> {
	return transport.request({ method: 'GET', path: '/v1/health', responseSchema: healthSchema });
}
