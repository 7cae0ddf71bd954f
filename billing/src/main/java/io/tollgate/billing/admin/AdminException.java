package io.tollgate.billing.admin;

/**
 * An admin operation that cannot be done as asked: the target is missing or the input is
 * invalid. The message is safe to show to the admin.
 */
public final class AdminException extends RuntimeException {

	private final boolean notFound;

	private AdminException(String message, boolean notFound) {
		super(message);
		this.notFound = notFound;
	}

	/** The named thing does not exist. */
	public static AdminException notFound(String what, Object id) {
		return new AdminException(what + " " + id + " not found", true);
	}

	/** The input is not acceptable, for the reason given. */
	public static AdminException invalid(String reason) {
		return new AdminException(reason, false);
	}

	/** Whether the target was missing (rather than the input invalid). */
	public boolean isNotFound() {
		return this.notFound;
	}

}
