package io.tollgate.gateway.messages;

import java.time.Instant;

import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.gateway.error.GatewayException;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Reads the tenant key from {@code x-api-key} or {@code Authorization: Bearer} and finds
 * its grant in the in-memory directory: no database on the hot path.
 */
@Component
public class KeyAuthenticator {

	private final Directory directory;

	public KeyAuthenticator(Directory directory) {
		this.directory = directory;
	}

	/**
	 * Authenticates a request.
	 * @param headers the request headers
	 * @param requestId the request id
	 * @return the request's pipeline state
	 * @throws GatewayException 401 for a missing, unknown, revoked or expired key; 403
	 * for a suspended tenant
	 */
	public GatewayRequest authenticate(HttpHeaders headers, String requestId) {
		String key = presentedKey(headers);
		if (key == null) {
			throw GatewayException.missingKey();
		}
		KeyGrant grant = this.directory.authenticate(key).orElseThrow(GatewayException::invalidKey);
		if (!grant.usableAt(Instant.now())) {
			throw GatewayException.of(401, "authentication_error",
					"revoked".equals(grant.status()) ? "API key has been revoked" : "API key has expired");
		}
		if (grant.tenant() == null || !grant.tenant().active()) {
			throw GatewayException.permission("The tenant of this API key is suspended");
		}
		GroupView group = this.directory.group(grant.groupId())
			.orElseThrow(() -> GatewayException.permission("The group of this API key no longer exists"));
		return new GatewayRequest(requestId, grant, group);
	}

	private static String presentedKey(HttpHeaders headers) {
		String key = headers.getFirst("x-api-key");
		if (key != null && !key.isBlank()) {
			return key.trim();
		}
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = authorization.substring(7).trim();
			return token.isEmpty() ? null : token;
		}
		return null;
	}

}
