package io.tollgate.billing.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor.CipherAlgorithm;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * Encrypts upstream credentials at rest with AES-256-GCM under the master key.
 */
public final class CredentialCipher {

	private final AesBytesEncryptor encryptor;

	private CredentialCipher(byte[] key) {
		if (key.length != 32) {
			throw new IllegalArgumentException("The master key must be 32 bytes (base64 of 32 random bytes)");
		}
		this.encryptor = new AesBytesEncryptor(new SecretKeySpec(key, "AES"), KeyGenerators.secureRandom(12),
				CipherAlgorithm.GCM);
	}

	/**
	 * The cipher for a configured master key, or for the key kept in the data directory
	 * (created there with owner-only permissions on first use) when none is configured.
	 * @param configuredKey base64 key, or {@code null}
	 * @param keyFile where the generated key lives
	 * @return the cipher
	 */
	public static CredentialCipher fromConfiguredOrFile(String configuredKey, Path keyFile) {
		if (configuredKey != null && !configuredKey.isBlank()) {
			return new CredentialCipher(Base64.getDecoder().decode(configuredKey.trim()));
		}
		try {
			if (!Files.exists(keyFile)) {
				byte[] key = new byte[32];
				new SecureRandom().nextBytes(key);
				Files.createDirectories(keyFile.toAbsolutePath().getParent());
				Files.writeString(keyFile, Base64.getEncoder().encodeToString(key));
				try {
					Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
				}
				catch (UnsupportedOperationException ex) {
					// not a POSIX file system: the file keeps the directory's permissions
				}
			}
			return new CredentialCipher(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the master key file " + keyFile, ex);
		}
	}

	public String encrypt(String plaintext) {
		return Base64.getEncoder().encodeToString(this.encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8)));
	}

	public String decrypt(String ciphertext) {
		return new String(this.encryptor.decrypt(Base64.getDecoder().decode(ciphertext)), StandardCharsets.UTF_8);
	}

}
