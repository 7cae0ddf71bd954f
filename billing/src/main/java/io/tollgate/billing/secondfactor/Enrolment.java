package io.tollgate.billing.secondfactor;

/**
 * A second factor being set up: the secret to put into an authenticator app, by hand or
 * through its {@code otpauth://} URI (shown as a QR code). Not yet switched on.
 *
 * @param secret the Base32 secret
 * @param uri the {@code otpauth://totp/...} URI carrying it
 */
public record Enrolment(String secret, String uri) {

	@Override
	public String toString() {
		return "Enrolment[secret hidden]";
	}

}
