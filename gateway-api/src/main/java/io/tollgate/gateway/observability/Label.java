package io.tollgate.gateway.observability;

/** The per-request labels metrics may carry, named as in Prometheus. */
enum Label {

	TENANT("tenant"), GROUP("group"), REQUESTED_MODEL("requested_model"), UPSTREAM_MODEL("upstream_model"),
	ACCOUNT("account"), PLATFORM("platform"), STREAM("stream"), OUTCOME("outcome"),

	/** An API key's name, on the in-flight gauges only. */
	KEY("key");

	private final String tag;

	Label(String tag) {
		this.tag = tag;
	}

	String tag() {
		return this.tag;
	}

	static Label of(String tag) {
		for (Label label : values()) {
			if (label.tag.equals(tag)) {
				return label;
			}
		}
		throw new IllegalArgumentException("Unknown metric label '" + tag + "'");
	}

}
