package io.tollgate.billing.coordination.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * The Redis connections of one node: Lettuce multiplexes every command of the node over
 * them, so two are all it needs (strings, and strings to bytes for Bucket4j).
 */
public final class RedisConnections implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> strings;

	private final StatefulRedisConnection<String, byte[]> bytes;

	private final String prefix;

	public RedisConnections(String url, String prefix) {
		this.client = RedisClient.create(url);
		this.strings = this.client.connect();
		this.bytes = this.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		this.prefix = prefix;
	}

	public StatefulRedisConnection<String, String> strings() {
		return this.strings;
	}

	public StatefulRedisConnection<String, byte[]> bytes() {
		return this.bytes;
	}

	/** The Redis key for a Tollgate name. */
	public String key(String kind, String name) {
		return this.prefix + kind + ":" + name;
	}

	public String prefix() {
		return this.prefix;
	}

	@Override
	public void close() {
		this.strings.close();
		this.bytes.close();
		this.client.shutdown();
	}

}
