package io.tollgate.billing.coordination;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where nodes share state.
 *
 * @param url Redis URL ({@code redis://host:6379/0}); empty keeps all shared state in
 * this process, which is right for a single node
 * @param prefix prefix of every Redis key Tollgate writes
 * @param permitLease how long a permit outlives a node that died holding it; live nodes
 * renew theirs
 */
@ConfigurationProperties("tollgate.redis")
public record CoordinationProperties(String url, @DefaultValue("tollgate:") String prefix,
		@DefaultValue("30s") Duration permitLease) {

	public boolean shared() {
		return this.url != null && !this.url.isBlank();
	}

}
