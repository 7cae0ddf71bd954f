package io.tollgate.gateway.forward;

/**
 * A successful upstream status whose body cannot be the answer: truncated, not JSON, or
 * not a JSON object. A failure of the account, found before the first byte reached the
 * client, so another account can still be tried. Stackless.
 */
public final class MalformedUpstreamAnswer extends RuntimeException {

	private MalformedUpstreamAnswer(String message) {
		super(message, null, false, false);
	}

	/**
	 * @param status the upstream's status
	 * @param what what is wrong with the body
	 * @return the failure
	 */
	static MalformedUpstreamAnswer of(int status, String what) {
		return new MalformedUpstreamAnswer("HTTP " + status + " with " + what);
	}

}
