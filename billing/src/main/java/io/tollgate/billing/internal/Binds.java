package io.tollgate.billing.internal;

import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/** Binding helpers for {@code DatabaseClient}. */
public final class Binds {

	private Binds() {
	}

	/** Binds a value, or a typed null when there is none. */
	public static GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, type);
	}

}
