package io.tollgate.billing.usage.internal;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.R2dbcException;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Tells an error of the data (this record can never be stored) from an error of the
 * moment (the database is away, a transaction was chosen as a deadlock victim), which is
 * worth retrying as it is.
 */
final class DataErrors {

	private DataErrors() {
	}

	/**
	 * Whether the error is the data's fault: a SQLState of class 22 (data exception: too
	 * long, bad character, out of range) or 23 (integrity constraint), or a failure that
	 * never reached the database (the record could not even be priced or bound). Anything
	 * else, including a database error without a SQLState, counts as transient.
	 * @param error what writing failed with
	 * @return whether retrying the same record cannot help
	 */
	static boolean isDataError(Throwable error) {
		boolean databaseInvolved = false;
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof R2dbcException r2dbc) {
				String state = r2dbc.getSqlState();
				if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
					return true;
				}
				databaseInvolved = true;
			}
			else if (cause instanceof DataIntegrityViolationException) {
				return true;
			}
			else if (cause instanceof DataAccessException || cause instanceof IOException
					|| cause instanceof TimeoutException || cause instanceof java.sql.SQLException) {
				databaseInvolved = true;
			}
		}
		return !databaseInvolved && !(error instanceof Error);
	}

	/**
	 * A short description for the quarantine: the database's message and SQLState, never
	 * a stack trace.
	 * @param error the error
	 * @return the reason
	 */
	static String reason(Throwable error) {
		String state = null;
		Throwable root = error;
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null) {
				state = r2dbc.getSqlState();
			}
			root = cause;
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return (state != null) ? "SQLState " + state + ": " + message
				: root.getClass().getSimpleName() + ": " + message;
	}

}
