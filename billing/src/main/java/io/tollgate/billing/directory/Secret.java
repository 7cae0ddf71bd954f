package io.tollgate.billing.directory;

/**
 * A decrypted upstream credential, held in memory only. It never prints itself.
 */
public final class Secret {

	private final String value;

	public Secret(String value) {
		this.value = value;
	}

	public String reveal() {
		return this.value;
	}

	@Override
	public String toString() {
		return "Secret[****]";
	}

}
