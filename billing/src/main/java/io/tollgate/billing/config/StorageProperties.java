package io.tollgate.billing.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Tollgate keeps its state and secrets.
 *
 * @param dataDir directory for the embedded database, the generated master key and the
 * usage journal
 * @param masterKey base64 of a 32-byte AES key encrypting upstream credentials; generated
 * into the data directory in embedded mode when absent
 * @param bootstrapFile optional YAML file declaring tenants, groups, accounts, prices and
 * keys to create or update at startup
 * @param database the database; empty URL means the embedded H2 file database in the data
 * directory
 */
@ConfigurationProperties("tollgate")
public record StorageProperties(@DefaultValue("./data") Path dataDir, String masterKey, Path bootstrapFile,
		@DefaultValue Database database) {

	/**
	 * @param url {@code postgresql://host:port/db} (or a {@code jdbc:} / {@code r2dbc:}
	 * URL); empty for embedded
	 * @param username database user
	 * @param password database password
	 */
	public record Database(String url, String username, String password) {

		public boolean embedded() {
			return this.url == null || this.url.isBlank() || this.url.contains(":h2:");
		}

	}

}
