import { isConnectorError, type ConnectorError } from '../../connectors/core';

/** The ConnectorError `promise` rejects with; anything else (or no rejection at all) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	if (!isConnectorError(error)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
	return error;
}
