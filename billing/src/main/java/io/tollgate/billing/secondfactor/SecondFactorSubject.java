package io.tollgate.billing.secondfactor;

/**
 * Whose second factor: a console user or a tenant user.
 *
 * @param kind {@link #CONSOLE} or {@link #TENANT}
 * @param id the console user's or tenant user's id
 * @param account how authenticator apps label it: the username or login
 */
public record SecondFactorSubject(String kind, long id, String account) {

	/** A console user ({@code admin_user}). */
	public static final String CONSOLE = "console";

	/** A tenant user ({@code tenant_user}). */
	public static final String TENANT = "tenant";

	public static SecondFactorSubject console(long id, String username) {
		return new SecondFactorSubject(CONSOLE, id, username);
	}

	public static SecondFactorSubject tenant(long id, String login) {
		return new SecondFactorSubject(TENANT, id, login);
	}

}
