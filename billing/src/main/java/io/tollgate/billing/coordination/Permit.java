package io.tollgate.billing.coordination;

/**
 * Held permits in one or more scopes. Release them when the work ends, whichever way it
 * ends; only the first release counts. A permit whose node dies lapses after its lease.
 */
public interface Permit {

	/** Gives the permits back; later calls do nothing. */
	void release();

}
