package io.tollgate.billing.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How deliveries are signed: HMAC-SHA256, keyed with the endpoint's secret (its UTF-8
 * bytes), over {@code timestamp + "." + body}, in lower-case hex. The signature header
 * holds one {@code v1=<hex>} per active secret, comma-separated: two during a rotation.
 */
public final class WebhookSignature {

	/** The event id; the same on every retry of a delivery. */
	public static final String ID_HEADER = "Tollgate-Webhook-Id";

	/** Seconds since the epoch when the attempt was signed. */
	public static final String TIMESTAMP_HEADER = "Tollgate-Webhook-Timestamp";

	/** {@code v1=<hex>[,v1=<hex>]}. */
	public static final String SIGNATURE_HEADER = "Tollgate-Webhook-Signature";

	private WebhookSignature() {
	}

	/**
	 * One signature.
	 * @param secret the endpoint's secret
	 * @param timestamp the attempt's timestamp, in epoch seconds
	 * @param body the exact body sent
	 * @return the lower-case hex HMAC-SHA256
	 */
	public static String sign(String secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
			mac.update((byte) '.');
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * The signature header's value for every active secret, newest first.
	 * @param secrets the active secrets
	 * @param timestamp the attempt's timestamp, in epoch seconds
	 * @param body the exact body sent
	 * @return e.g. {@code v1=ab12…,v1=cd34…}
	 */
	public static String header(List<String> secrets, long timestamp, byte[] body) {
		return secrets.stream().map((secret) -> "v1=" + sign(secret, timestamp, body)).collect(Collectors.joining(","));
	}

}
