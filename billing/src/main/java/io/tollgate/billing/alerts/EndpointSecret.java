package io.tollgate.billing.alerts;

/**
 * An endpoint with its new signing secret, shown once (on creation and rotation).
 *
 * @param endpoint the endpoint
 * @param secret the secret receivers verify signatures with
 */
public record EndpointSecret(AlertEndpoint endpoint, String secret) {

	@Override
	public String toString() {
		return "EndpointSecret[endpoint=" + this.endpoint + ", secret=(hidden)]";
	}

}
